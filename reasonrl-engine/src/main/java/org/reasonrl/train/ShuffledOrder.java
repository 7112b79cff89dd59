package org.reasonrl.train;

import org.reasonrl.runtime.SeedStream;

/**
 * Sample order over epochs where epoch {@code e} is a permutation of the data seeded by
 * {@code hash(seed, e)}: the sample at any global position is a pure function of
 * (seed, position). A resumed run therefore needs only the step to continue the exact order.
 */
public final class ShuffledOrder {

  private final long seed;
  private final int size;
  private long cachedEpoch = -1;
  private int[] cachedPermutation;

  public ShuffledOrder(long seed, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("cannot order an empty dataset (size " + size + ")");
    }
    this.seed = seed;
    this.size = size;
  }

  /** The dataset index of the sample at global position {@code position} (0-based). */
  public synchronized int index(long position) {
    long epoch = position / size;
    if (epoch != cachedEpoch) {
      cachedPermutation = permutation(mix(seed, epoch), size);
      cachedEpoch = epoch;
    }
    return cachedPermutation[(int) (position % size)];
  }

  /** The dataset indices of batch {@code step} when every step consumes {@code batchSize}. */
  public int[] batch(long step, int batchSize) {
    int[] indices = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      indices[i] = index(step * batchSize + i);
    }
    return indices;
  }

  /**
   * Fisher–Yates over {@link SeedStream#fromSeed}{@code (seed)}: fixed across JDKs, unlike
   * {@code Collections.shuffle}.
   */
  public static int[] permutation(long seed, int size) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    SeedStream draws = SeedStream.fromSeed(seed);
    for (int i = size - 1; i > 0; i--) {
      int j = draws.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /** A well-mixed 64-bit hash of (seed, parts): {@link SeedStream#mix}. */
  public static long mix(long seed, long... parts) {
    return SeedStream.mix(seed, parts);
  }
}
