package org.reasonrl.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A named, deterministic stream of random numbers: every random draw of a job (initial weights,
 * heads, adapters, dropout masks, shuffles, sampling) comes from one, derived from the run's seed
 * and what the numbers are for. libtorch's global generator is never used: it is shared by every
 * job in the JVM (two Maven {@code -T 2} stages would interleave their draws), so nothing drawn
 * from it is a function of the run alone.
 *
 * <p>Everything here is written out so that it cannot change with the JDK or the platform:
 *
 * <ul>
 *   <li>{@link #of}{@code (runSeed, purpose)} has the seed {@link #mix}{@code (runSeed,
 *       }{@link #hash}{@code (purpose))}: the purpose is hashed with 64-bit FNV-1a over its UTF-8
 *       bytes (not {@code String.hashCode}, whose 32 bits collide too easily), then mixed with the
 *       run seed by SplitMix64's finaliser.
 *   <li>Numbers come from SplitMix64 (Steele, Lea and Flood 2014, the generator of
 *       {@code java.util.SplittableRandom}): the state starts at the seed and advances by the
 *       golden gamma; each output is the finalised state.
 *   <li>Normal values use the Box–Muller transform with {@link StrictMath}, whose results are
 *       bit-for-bit the same on every JVM ({@code Math.log} and {@code Math.cos} may differ by an
 *       ulp between platforms; {@code Random.nextGaussian} changed algorithm in JDK 17).
 * </ul>
 *
 * <p>{@link #derive} gives a sub-stream for a sub-purpose (one per tensor, say) as a function of
 * this stream's seed and the sub-purpose only, never of how much was already drawn, so adding or
 * reordering draws elsewhere changes nothing else. A stream is not thread-safe: one owner draws.
 */
public final class SeedStream {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final double UNIT = 0x1.0p-53;

  private final long seed;
  private long state;

  private SeedStream(long seed) {
    this.seed = seed;
    this.state = seed;
  }

  /** The stream for {@code purpose} (e.g. {@code "pretrain/init"}) of the run seeded so. */
  public static SeedStream of(long runSeed, String purpose) {
    return new SeedStream(mix(runSeed, hash(purpose)));
  }

  /**
   * The stream whose seed is {@code seed}, already derived: for a seed handed over as a long (to
   * {@code ShuffledOrder}, the sampler), usually {@link #seed()} of a named stream.
   */
  public static SeedStream fromSeed(long seed) {
    return new SeedStream(seed);
  }

  /** The sub-stream for {@code purpose}: a function of this stream's seed and purpose only. */
  public SeedStream derive(String purpose) {
    return of(seed, purpose);
  }

  /** This stream's seed: its first value and the root of every {@link #derive}d stream. */
  public long seed() {
    return seed;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return finalise(state);
  }

  /** Uniform in [0, 1), 53 bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * UNIT;
  }

  /**
   * Uniform in [0, bound) as {@code nextLong() mod bound} (unsigned): a bias below
   * {@code bound / 2^64}, negligible for any bound an int can hold.
   */
  public int nextInt(int bound) {
    if (bound < 1) {
      throw new IllegalArgumentException("bound must be >= 1 but was " + bound);
    }
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /**
   * {@code count} values from normal(0, std), in pairs from one Box–Muller transform each:
   * {@code r = sqrt(-2 ln(1 - u1))}, then {@code r cos(2 pi u2)} and {@code r sin(2 pi u2)}.
   */
  public float[] normal(int count, double std) {
    float[] out = new float[count];
    for (int i = 0; i < count; i += 2) {
      double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - nextDouble()));
      double angle = 2 * StrictMath.PI * nextDouble();
      out[i] = (float) (std * radius * StrictMath.cos(angle));
      if (i + 1 < count) {
        out[i + 1] = (float) (std * radius * StrictMath.sin(angle));
      }
    }
    return out;
  }

  /** {@code count} values uniform in [-bound, bound). */
  public float[] uniform(int count, double bound) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) (bound * (2 * nextDouble() - 1));
    }
    return out;
  }

  /** 64-bit FNV-1a of the UTF-8 bytes of {@code purpose}. */
  public static long hash(String purpose) {
    long h = FNV_OFFSET;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * FNV_PRIME;
    }
    return h;
  }

  /** A well-mixed 64-bit hash of (seed, parts), SplitMix64's finaliser chained over the parts. */
  public static long mix(long seed, long... parts) {
    long h = finalise(seed);
    for (long part : parts) {
      h = finalise(h ^ finalise(part + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** SplitMix64's output function (Stafford's variant 13). */
  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "SeedStream[seed=" + seed + "]";
  }
}
