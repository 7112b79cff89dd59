package org.reasonrl.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The difference A − B of one accuracy between two methods evaluated on the same problems, with
 * a paired bootstrap 95% interval: problems are resampled jointly (one draw picks a problem's
 * score under both methods), so what the two share — which problems are hard — cancels, and the
 * interval is far narrower than the two methods' own intervals side by side suggest.
 *
 * @param metric the accuracy's label ({@link Accuracy#label})
 * @param problems number of problems
 * @param a method A's accuracy
 * @param b method B's accuracy
 * @param estimate {@code a - b}, the mean per-problem difference
 * @param ciLow the 2.5th percentile of the bootstrap distribution of the mean difference
 * @param ciHigh the 97.5th percentile
 */
public record PairedDifference(String metric, int problems, double a, double b, double estimate,
    double ciLow, double ciHigh) {

  /**
   * Compares {@code a} with {@code b}: both must list the same problem ids in the same order.
   *
   * @throws IllegalArgumentException when the problem lists differ, naming the first difference
   */
  public static PairedDifference of(List<ProblemOutcome> a, List<ProblemOutcome> b,
      Accuracy metric, long seed, int resamples) {
    requireSameProblems(a, b);
    double[] scoresA = metric.scores(a);
    double[] scoresB = metric.scores(b);
    double[] differences = new double[scoresA.length];
    for (int i = 0; i < differences.length; i++) {
      differences[i] = scoresA[i] - scoresB[i];
    }
    double[] ci = Bootstrap.percentileInterval(differences, 0.95, resamples, seed);
    return new PairedDifference(metric.label(), differences.length, Bootstrap.mean(scoresA),
        Bootstrap.mean(scoresB), Bootstrap.mean(differences), ci[0], ci[1]);
  }

  /** Compares two written evaluations (each an {@code eval.json} with its samples). */
  public static PairedDifference of(WrittenEvaluation a, WrittenEvaluation b, Accuracy metric,
      long seed, int resamples) {
    try {
      return of(a.outcomes(), b.outcomes(), metric, seed, resamples);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(a.directory() + " vs " + b.directory() + ": "
          + e.getMessage(), e);
    }
  }

  /** Reads two evaluation directories (or their {@code eval.json}) and compares them. */
  public static PairedDifference between(Path a, Path b, Accuracy metric, long seed,
      int resamples) {
    return of(WrittenEvaluation.read(a), WrittenEvaluation.read(b), metric, seed, resamples);
  }

  /** The estimate and its interval, e.g. {@code +0.021 [-0.004, 0.046]}. */
  public String format() {
    return String.format(Locale.ROOT, "%+.3f [%.3f, %.3f]", estimate, ciLow, ciHigh);
  }

  /** Whether the interval excludes 0: A and B differ at the 95% level. */
  public boolean excludesZero() {
    return ciLow > 0 || ciHigh < 0;
  }

  private static void requireSameProblems(List<ProblemOutcome> a, List<ProblemOutcome> b) {
    if (a.isEmpty()) {
      throw new IllegalArgumentException("no problems to compare");
    }
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("a paired comparison needs the same problems, but A has "
          + a.size() + " and B has " + b.size());
    }
    for (int i = 0; i < a.size(); i++) {
      String idA = a.get(i).problemId();
      String idB = b.get(i).problemId();
      if (!idA.equals(idB)) {
        throw new IllegalArgumentException("a paired comparison needs the same problems in the"
            + " same order, but problem " + i + " is '" + idA + "' in A and '" + idB + "' in B");
      }
    }
  }
}
