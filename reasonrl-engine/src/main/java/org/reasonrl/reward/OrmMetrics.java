package org.reasonrl.reward;

/**
 * Held-out quality of an outcome reward model's final-token probabilities against 0/1 labels.
 *
 * @param samples labelled solutions scored
 * @param positiveShare share of correct solutions (the class balance)
 * @param accuracy share whose probability is on the label's side of 0.5 (0.5 counts as correct)
 * @param auc ROC AUC by ranks (ties get the mean rank); {@code null} when one class is absent
 * @param withinQuestionAuc AUC over pairs of a correct and an incorrect solution of the same
 *     question only: what reranking needs. A pooled AUC also rewards telling easy questions from
 *     hard ones, which is constant within a question; {@code null} when no question has both
 * @param mixedQuestions questions with both a correct and an incorrect solution
 * @param brier mean squared error of the probability
 * @param finalTokenBce mean binary cross-entropy at the final token
 * @param tokenBce mean binary cross-entropy over every solution token (the training loss's
 *     quantity, unweighted)
 */
public record OrmMetrics(int samples, double positiveShare, double accuracy, Double auc,
    Double withinQuestionAuc, int mixedQuestions, double brier, double finalTokenBce,
    double tokenBce) {

  /** Probabilities are clamped to [1e-7, 1 - 1e-7] in the log so a confident miss stays finite. */
  private static final double EPS = 1e-7;

  /**
   * @param finalScores probability at each solution's last token
   * @param labels whether each solution is correct
   * @param questions each solution's question (any ids; equal ids = same question)
   * @param tokenBceSum BCE summed over every solution token of every solution
   * @param tokenCount solution tokens in all
   */
  public static OrmMetrics of(double[] finalScores, boolean[] labels, String[] questions,
      double tokenBceSum, long tokenCount) {
    check(finalScores, labels);
    int positives = 0;
    int right = 0;
    double bce = 0;
    for (int i = 0; i < labels.length; i++) {
      positives += labels[i] ? 1 : 0;
      right += (finalScores[i] >= 0.5) == labels[i] ? 1 : 0;
      bce += bce(finalScores[i], labels[i]);
    }
    int n = labels.length;
    WithinGroups within = withinGroupAuc(finalScores, labels, questions);
    return new OrmMetrics(n, (double) positives / n, (double) right / n, auc(finalScores, labels),
        within.auc(), within.mixedGroups(), brier(finalScores, labels), bce / n,
        tokenCount == 0 ? Double.NaN : tokenBceSum / tokenCount);
  }

  /** The within-group AUC and how many groups had both classes. */
  public record WithinGroups(Double auc, int mixedGroups) {}

  /**
   * AUC over the (correct, incorrect) pairs that share a group, ties counting half: the
   * probability that, within one question, a correct solution scores above an incorrect one.
   */
  public static WithinGroups withinGroupAuc(double[] scores, boolean[] labels, String[] groups) {
    check(scores, labels);
    if (groups.length != labels.length) {
      throw new IllegalArgumentException(groups.length + " groups for " + labels.length
          + " labels");
    }
    java.util.Map<String, java.util.List<Integer>> members = new java.util.LinkedHashMap<>();
    for (int i = 0; i < groups.length; i++) {
      members.computeIfAbsent(groups[i], g -> new java.util.ArrayList<>()).add(i);
    }
    double wins = 0;
    long pairs = 0;
    int mixed = 0;
    for (java.util.List<Integer> group : members.values()) {
      long before = pairs;
      for (int p : group) {
        for (int q : group) {
          if (labels[p] && !labels[q]) {
            pairs++;
            wins += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
          }
        }
      }
      mixed += pairs > before ? 1 : 0;
    }
    return new WithinGroups(pairs == 0 ? null : wins / pairs, mixed);
  }

  /** Binary cross-entropy of probability {@code p} for {@code label}. */
  public static double bce(double p, boolean label) {
    double clamped = Math.min(1 - EPS, Math.max(EPS, p));
    return -Math.log(label ? clamped : 1 - clamped);
  }

  /**
   * ROC AUC as the Mann–Whitney statistic: the probability that a random correct solution scores
   * above a random incorrect one, ties counting half (average ranks). {@code null} without both
   * classes.
   */
  public static Double auc(double[] scores, boolean[] labels) {
    check(scores, labels);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int start = 0; start < n; ) {
      int end = start;
      while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      double meanRank = (start + end) / 2.0 + 1; // 1-based ranks start+1 .. end+1
      for (int i = start; i <= end; i++) {
        if (labels[order[i]]) {
          positiveRankSum += meanRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return null;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
  }

  /** Mean of (p − label)². */
  public static double brier(double[] scores, boolean[] labels) {
    check(scores, labels);
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      double error = scores[i] - (labels[i] ? 1 : 0);
      sum += error * error;
    }
    return sum / scores.length;
  }

  private static void check(double[] scores, boolean[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(scores.length + " scores for " + labels.length
          + " labels");
    }
    if (scores.length == 0) {
      throw new IllegalArgumentException("no scored samples");
    }
  }
}
