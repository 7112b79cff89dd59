package org.reasonrl.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.reasonrl.data.Answers;

/**
 * The study's metrics over per-problem outcomes. Per-problem scores are in [0, 1] (0/1 for maj@1
 * and the first-K variants; the share of right groups for maj@K and rerank@K; the unbiased
 * probability for pass@K); each accuracy is their mean with a problem-level bootstrap interval.
 */
public final class Metrics {

  private Metrics() {}

  /** maj@1: the share of problems whose greedy solution is correct. */
  public static double[] maj1Scores(List<ProblemOutcome> outcomes) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      Sample greedy = outcomes.get(i).greedy();
      if (greedy == null) {
        throw new IllegalArgumentException(
            "problem " + outcomes.get(i).problemId() + " has no greedy solution for maj@1");
      }
      scores[i] = greedy.correct() ? 1 : 0;
    }
    return scores;
  }

  /**
   * maj@K: a majority vote over the extracted answers of K samples, averaged over the ⌊n/K⌋
   * disjoint groups of a problem's n samples (samples 1..K, K+1..2K, ...; a remainder shorter
   * than K is left out): with n > K every sample counts, which first-K voting wastes. Samples
   * without an answer do not vote; answers vote by numeric value ({@code 18} and {@code 18.0}
   * together). A tie goes to the answer seen first in the group; a group with no answer at all
   * scores 0. A problem's score is its share of groups that vote right (n = 8, K = 4: 0, 0.5 or 1).
   */
  public static double[] majAtKScores(List<ProblemOutcome> outcomes, int k) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      ProblemOutcome o = outcomes.get(i);
      double right = 0;
      List<List<Sample>> groups = groups(o, k);
      for (List<Sample> group : groups) {
        right += votesRight(group, o.gold()) ? 1 : 0;
      }
      scores[i] = right / groups.size();
    }
    return scores;
  }

  /**
   * maj@K as lm-evaluation-harness computes it: the vote of the first {@code k} samples only
   * (the other n − K do not count). Same voting as {@link #majAtKScores}.
   */
  public static double[] majAtKFirstScores(List<ProblemOutcome> outcomes, int k) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      ProblemOutcome o = outcomes.get(i);
      scores[i] = votesRight(firstK(o, k), o.gold()) ? 1 : 0;
    }
    return scores;
  }

  private static boolean votesRight(List<Sample> samples, String gold) {
    String winner = majorityAnswer(samples);
    return winner != null && Answers.equivalent(winner, gold);
  }

  /** The winning answer's vote key, or {@code null} when no sample has an answer. */
  public static String majorityAnswer(List<Sample> samples) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (Sample s : samples) {
      String key = s.answer() == null ? null : s.answer().voteKey();
      if (key != null) {
        votes.merge(key, 1, Integer::sum);
      }
    }
    String winner = null;
    int best = 0;
    for (Map.Entry<String, Integer> e : votes.entrySet()) {
      if (e.getValue() > best) { // strict: an equal count later does not displace the first
        winner = e.getKey();
        best = e.getValue();
      }
    }
    return winner;
  }

  /**
   * pass@K by the unbiased estimator of Chen et al. (2021): with n samples of which c are
   * correct, {@code 1 - C(n-c, k) / C(n, k)}, computed as
   * {@code 1 - prod_{i=n-c+1..n} (1 - k/i)} so that large n does not overflow. Needs n >= k.
   */
  public static double[] passAtKScores(List<ProblemOutcome> outcomes, int k) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      ProblemOutcome o = outcomes.get(i);
      int n = o.samples().size();
      if (n < k) {
        throw new IllegalArgumentException("problem " + o.problemId() + " has " + n
            + " samples; pass@" + k + " needs at least " + k);
      }
      int c = (int) o.samples().stream().filter(Sample::correct).count();
      scores[i] = passAtK(n, c, k);
    }
    return scores;
  }

  /** The unbiased pass@k for n samples with c correct. */
  public static double passAtK(int n, int c, int k) {
    if (k < 1 || n < k || c < 0 || c > n) {
      throw new IllegalArgumentException("need 1 <= k <= n and 0 <= c <= n: n=" + n + " c=" + c
          + " k=" + k);
    }
    if (n - c < k) {
      return 1.0;
    }
    double allWrong = 1.0;
    for (int i = n - c + 1; i <= n; i++) {
      allWrong *= 1.0 - (double) k / i;
    }
    return 1.0 - allWrong;
  }

  /**
   * rerank@K: in each group of K samples the one with the highest reward-model score (the first
   * on a tie) decides; a problem scores its share of groups decided right, over the same ⌊n/K⌋
   * disjoint groups as {@link #majAtKScores}. Empty when no sample has a score; an error when
   * only some do, since a partial reranking would be a different metric.
   */
  public static Optional<double[]> rerankAtKScores(List<ProblemOutcome> outcomes, int k) {
    return rerank(outcomes, o -> groups(o, k));
  }

  /** rerank@K among the first {@code k} samples only (the lm-evaluation-harness convention). */
  public static Optional<double[]> rerankAtKFirstScores(List<ProblemOutcome> outcomes, int k) {
    return rerank(outcomes, o -> List.of(firstK(o, k)));
  }

  private static Optional<double[]> rerank(List<ProblemOutcome> outcomes,
      Function<ProblemOutcome, List<List<Sample>>> groupsOf) {
    List<List<List<Sample>>> grouped = outcomes.stream().map(groupsOf).toList();
    int scored = 0;
    int total = 0;
    for (List<List<Sample>> groups : grouped) {
      for (List<Sample> group : groups) {
        for (Sample s : group) {
          total++;
          scored += s.score() != null ? 1 : 0;
        }
      }
    }
    if (scored == 0) {
      return Optional.empty();
    }
    if (scored != total) {
      throw new IllegalArgumentException(
          "only " + scored + " of " + total + " samples have a reward-model score");
    }
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      double right = 0;
      for (List<Sample> group : grouped.get(i)) {
        Sample best = null;
        for (Sample s : group) {
          if (best == null || s.score() > best.score()) {
            best = s;
          }
        }
        right += best.correct() ? 1 : 0;
      }
      scores[i] = right / grouped.get(i).size();
    }
    return Optional.of(scores);
  }

  /** All metrics at once, without novelty (see the overload with a {@link NoveltyReference}). */
  public static EvalResult evaluate(List<ProblemOutcome> outcomes, int k, long seed,
      int resamples) {
    return evaluate(outcomes, k, null, seed, resamples);
  }

  /**
   * All metrics at once. maj@1 is computed when every problem has a greedy solution (absent when
   * none has); rerank@K when the samples carry reward-model scores; novelty when a reference set
   * is given. Diversity is over the first K samples of the problems with at least one correct
   * among them (a problem without any says nothing about diversity, only about coverage).
   *
   * @param novelty known solution paths per problem (e.g. the SFT data), or {@code null}
   */
  public static EvalResult evaluate(List<ProblemOutcome> outcomes, int k,
      NoveltyReference novelty, long seed, int resamples) {
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException("no problems to evaluate");
    }
    boolean anyGreedy = outcomes.stream().anyMatch(o -> o.greedy() != null);
    MetricValue maj1 =
        anyGreedy ? MetricValue.of(maj1Scores(outcomes), seed, resamples) : null;
    MetricValue majK = MetricValue.of(majAtKScores(outcomes, k), seed + 1, resamples);
    MetricValue passK = MetricValue.of(passAtKScores(outcomes, k), seed + 2, resamples);
    MetricValue rerankK = rerankAtKScores(outcomes, k)
        .map(s -> MetricValue.of(s, seed + 3, resamples)).orElse(null);
    MetricValue majKFirst = MetricValue.of(majAtKFirstScores(outcomes, k), seed + 4, resamples);
    MetricValue rerankKFirst = rerankAtKFirstScores(outcomes, k)
        .map(s -> MetricValue.of(s, seed + 5, resamples)).orElse(null);
    double distinct = 0;
    int withCorrect = 0;
    double editSum = 0;
    int withPairs = 0;
    int samplesPerProblem = Integer.MAX_VALUE;
    for (ProblemOutcome o : outcomes) {
      Diversity d = Diversity.of(o.samples(), k);
      if (d.correct() > 0) {
        distinct += d.distinctCorrect();
        withCorrect++;
      }
      if (d.meanPairwiseEditDistance() != null) {
        editSum += d.meanPairwiseEditDistance();
        withPairs++;
      }
      samplesPerProblem = Math.min(samplesPerProblem, o.samples().size());
    }
    return new EvalResult(outcomes.size(), k, samplesPerProblem, samplesPerProblem / k, maj1,
        majK, passK, rerankK, majKFirst, rerankKFirst, withCorrect,
        withCorrect == 0 ? null : distinct / withCorrect,
        withPairs == 0 ? null : editSum / withPairs,
        novelty == null ? null : novelty.measure(outcomes));
  }

  /** A problem's ⌊n/K⌋ disjoint groups of K samples, in drawing order. */
  static List<List<Sample>> groups(ProblemOutcome o, int k) {
    List<Sample> samples = requireK(o, k);
    List<List<Sample>> groups = new ArrayList<>(samples.size() / k);
    for (int start = 0; start + k <= samples.size(); start += k) {
      groups.add(samples.subList(start, start + k));
    }
    return groups;
  }

  private static List<Sample> firstK(ProblemOutcome o, int k) {
    return requireK(o, k).subList(0, k);
  }

  /** The problem's samples, which must be at least K. */
  private static List<Sample> requireK(ProblemOutcome o, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("K must be >= 1 but was " + k);
    }
    if (o.samples().size() < k) {
      throw new IllegalArgumentException("problem " + o.problemId() + " has "
          + o.samples().size() + " samples; K=" + k + " needs at least " + k);
    }
    return o.samples();
  }
}
