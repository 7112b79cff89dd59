package org.reasonrl.train.rl;

/**
 * Mean and variance over every token of a ragged batch (all sequences pooled, each token
 * weighted equally: veRL's {@code masked_mean} / {@code masked_var} with the mask implied by the
 * lengths), in double.
 */
public final class TokenStatistics {

  private TokenStatistics() {}

  public static long tokens(float[][] values) {
    long count = 0;
    for (float[] row : values) {
      count += row.length;
    }
    return count;
  }

  /** The mean over all tokens; NaN for a batch without tokens. */
  public static double mean(float[][] values) {
    double sum = 0;
    for (float[] row : values) {
      for (float value : row) {
        sum += value;
      }
    }
    return sum / tokens(values);
  }

  /**
   * The variance over all tokens, unbiased (Bessel's n/(n-1), as veRL's {@code masked_var}).
   *
   * @throws IllegalArgumentException with fewer than two tokens (the variance is undefined)
   */
  public static double variance(float[][] values) {
    long n = tokens(values);
    if (n < 2) {
      throw new IllegalArgumentException("the variance over " + n + " token(s) is undefined:"
          + " whitening needs at least 2 tokens in the batch");
    }
    double mean = mean(values);
    double squares = 0;
    for (float[] row : values) {
      for (float value : row) {
        squares += (value - mean) * (value - mean);
      }
    }
    return squares / (n - 1);
  }

  /**
   * 1 − Var(returns − values) / Var(returns): how much of the returns' variance the critic
   * explains (1 perfect, 0 no better than a constant, negative worse). NaN if the returns are
   * constant.
   */
  public static double explainedVariance(float[][] values, float[][] returns) {
    float[][] residual = new float[returns.length][];
    for (int i = 0; i < returns.length; i++) {
      if (values[i].length != returns[i].length) {
        throw new IllegalArgumentException("sequence " + i + " has " + returns[i].length
            + " returns but " + values[i].length + " values");
      }
      residual[i] = new float[returns[i].length];
      for (int t = 0; t < returns[i].length; t++) {
        residual[i][t] = returns[i][t] - values[i][t];
      }
    }
    double returnsVariance = variance(returns);
    return returnsVariance == 0 ? Double.NaN : 1 - variance(residual) / returnsVariance;
  }
}
