package org.reasonrl.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.reasonrl.data.Answers;
import org.reasonrl.data.WordLevelTokenizerJson;

/**
 * The study's metrics over per-problem outcomes. Per-problem scores are 0/1 (pass@K: the
 * unbiased probability); each accuracy is their mean with a problem-level bootstrap interval.
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
   * maj@K: a majority vote over the extracted answers of the first {@code k} samples, as
   * lm-evaluation-harness does. Samples without an answer do not vote; answers vote by numeric
   * value ({@code 18} and {@code 18.0} together). A tie goes to the answer seen first among the
   * first K samples. A problem with no answer at all scores 0.
   */
  public static double[] majAtKScores(List<ProblemOutcome> outcomes, int k) {
    double[] scores = new double[outcomes.size()];
    for (int i = 0; i < scores.length; i++) {
      ProblemOutcome o = outcomes.get(i);
      String winner = majorityAnswer(firstK(o, k));
      scores[i] = winner != null && Answers.equivalent(winner, o.gold()) ? 1 : 0;
    }
    return scores;
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
   * rerank@K: among the first {@code k} samples, the one with the highest reward-model score
   * (the first on a tie) decides. Empty when no sample has a score; an error when only some do,
   * since a partial reranking would be a different metric.
   */
  public static Optional<double[]> rerankAtKScores(List<ProblemOutcome> outcomes, int k) {
    int scored = 0;
    int total = 0;
    for (ProblemOutcome o : outcomes) {
      for (Sample s : firstK(o, k)) {
        total++;
        if (s.score() != null) {
          scored++;
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
      Sample best = null;
      for (Sample s : firstK(outcomes.get(i), k)) {
        if (best == null || s.score() > best.score()) {
          best = s;
        }
      }
      scores[i] = best.correct() ? 1 : 0;
    }
    return Optional.of(scores);
  }

  /**
   * Diversity of the correct solutions among the first {@code k} samples. Texts are compared
   * after trimming and collapsing whitespace; edit distance is over tokens as given by
   * {@code tokens} (e.g. the model's tokenizer).
   */
  public static Diversity diversity(List<Sample> samples, int k,
      Function<String, List<String>> tokens) {
    List<String> correct = new ArrayList<>();
    for (Sample s : samples.subList(0, Math.min(k, samples.size()))) {
      if (s.correct()) {
        correct.add(normalizeText(s.text()));
      }
    }
    Set<String> distinct = new HashSet<>(correct);
    if (correct.size() < 2) {
      return new Diversity(correct.size(), distinct.size(), null);
    }
    List<List<String>> tokenized = correct.stream().map(tokens).toList();
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < tokenized.size(); i++) {
      for (int j = i + 1; j < tokenized.size(); j++) {
        sum += editDistance(tokenized.get(i), tokenized.get(j));
        pairs++;
      }
    }
    return new Diversity(correct.size(), distinct.size(), sum / pairs);
  }

  /** Diversity with the embedded tokenizer's split (words, digits, marks) as tokens. */
  public static Diversity diversity(List<Sample> samples, int k) {
    return diversity(samples, k, WordLevelTokenizerJson::pieces);
  }

  static String normalizeText(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /** Levenshtein distance between token sequences (insert, delete, substitute cost 1). */
  public static int editDistance(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (int j = 0; j <= b.size(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.size(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.size(); j++) {
        int substitute = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }

  /**
   * All metrics at once. maj@1 is computed when every problem has a greedy solution (absent when
   * none has); rerank@K when the samples carry reward-model scores.
   */
  public static EvalResult evaluate(List<ProblemOutcome> outcomes, int k, long seed,
      int resamples) {
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
    double distinct = 0;
    double editSum = 0;
    int withPairs = 0;
    int samplesPerProblem = Integer.MAX_VALUE;
    for (ProblemOutcome o : outcomes) {
      Diversity d = diversity(o.samples(), k);
      distinct += d.distinctCorrect();
      if (d.meanPairwiseEditDistance() != null) {
        editSum += d.meanPairwiseEditDistance();
        withPairs++;
      }
      samplesPerProblem = Math.min(samplesPerProblem, o.samples().size());
    }
    return new EvalResult(outcomes.size(), k, samplesPerProblem, maj1, majK, passK, rerankK,
        distinct / outcomes.size(), withPairs == 0 ? null : editSum / withPairs);
  }

  private static List<Sample> firstK(ProblemOutcome o, int k) {
    if (o.samples().size() < k) {
      throw new IllegalArgumentException("problem " + o.problemId() + " has "
          + o.samples().size() + " samples; K=" + k + " needs at least " + k);
    }
    return o.samples().subList(0, k);
  }
}
