package org.reasonrl.train.rl;

/**
 * Advantage whitening over all tokens of a batch, as veRL's {@code masked_whiten}:
 * {@code (x − mean) / sqrt(var + 1e-8)} with the unbiased variance of
 * {@link TokenStatistics#variance}.
 */
public final class Whitening {

  /** Added to the variance so a constant batch whitens to 0, not NaN (veRL's value). */
  public static final double VARIANCE_EPSILON = 1e-8;

  private Whitening() {}

  /** Zero mean, unit variance. */
  public static float[][] whiten(float[][] values) {
    return whiten(values, true);
  }

  /**
   * @param shiftMean if false, the mean is added back after scaling (only the scale changes; TRL
   *     whitens rewards this way)
   */
  public static float[][] whiten(float[][] values, boolean shiftMean) {
    double mean = TokenStatistics.mean(values);
    double scale = 1 / Math.sqrt(TokenStatistics.variance(values) + VARIANCE_EPSILON);
    float[][] out = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = new float[values[i].length];
      for (int t = 0; t < values[i].length; t++) {
        double whitened = (values[i][t] - mean) * scale;
        out[i][t] = (float) (shiftMean ? whitened : whitened + mean);
      }
    }
    return out;
  }
}
