package org.reasonrl.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Problem-level bootstrap: resample the problems with replacement, recompute the mean, and take
 * percentiles of the resampled means. Seeded, so the same scores give the same interval.
 */
public final class Bootstrap {

  public static final int DEFAULT_RESAMPLES = 1000;

  private Bootstrap() {}

  public static double mean(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("mean of no values");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * The percentile interval {@code [low, high]} at {@code level} (0.95 gives the 2.5th and 97.5th
   * percentiles, by linear interpolation between order statistics).
   */
  public static double[] percentileInterval(double[] values, double level, int resamples,
      long seed) {
    if (values.length == 0) {
      throw new IllegalArgumentException("bootstrap of no values");
    }
    if (resamples < 1 || level <= 0 || level >= 1) {
      throw new IllegalArgumentException("need resamples >= 1 and 0 < level < 1");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    int n = values.length;
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    double tail = (1 - level) / 2;
    return new double[] {percentile(means, tail), percentile(means, 1 - tail)};
  }

  static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
