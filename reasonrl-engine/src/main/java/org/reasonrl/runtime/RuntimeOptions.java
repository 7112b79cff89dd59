package org.reasonrl.runtime;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How the engine should start: which device, how many CPU threads, where DJL keeps its native
 * cache, and the seed for libtorch's global generator. Only the first start of a JVM decides.
 *
 * @param device {@code cpu}, {@code gpu} or {@code auto} (a GPU when the engine sees one)
 * @param threads intra-op threads for libtorch; 0 means all available cores
 * @param cacheDir DJL's cache directory, or {@code null} for DJL's default ({@code ~/.djl.ai})
 * @param seed given to libtorch's global generator, which nothing ReasonRL draws uses: jobs derive
 *     their random streams from their own spec's seed ({@link SeedStream})
 */
public record RuntimeOptions(String device, int threads, Path cacheDir, long seed) {

  public static final long DEFAULT_SEED = 42;

  public RuntimeOptions {
    device = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
    if (!device.equals("cpu") && !device.equals("gpu") && !device.equals("auto")) {
      throw new IllegalArgumentException(
          "device must be one of cpu, gpu, auto but was '" + device + "'");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = all cores) but was " + threads);
    }
  }

  /** CPU or GPU as available, all cores, DJL's default cache, seed 42. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions("auto", 0, null, DEFAULT_SEED);
  }

  /** The thread count actually used: {@link #threads()} or, when 0, every available core. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
