package org.reasonrl.eval;

/**
 * An accuracy with its bootstrap 95% confidence interval.
 *
 * @param value the mean over problems
 * @param ciLow the 2.5th percentile of the bootstrap distribution of the mean
 * @param ciHigh the 97.5th percentile
 * @param n the number of problems
 */
public record MetricValue(double value, double ciLow, double ciHigh, int n) {

  /** The mean of per-problem scores with a seeded percentile-bootstrap 95% interval. */
  public static MetricValue of(double[] perProblem, long seed, int resamples) {
    double[] ci = Bootstrap.percentileInterval(perProblem, 0.95, resamples, seed);
    return new MetricValue(Bootstrap.mean(perProblem), ci[0], ci[1], perProblem.length);
  }
}
