package org.reasonrl.eval;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the study's accuracies, as a function from per-problem outcomes to per-problem scores:
 * what a {@link PairedDifference} compares. {@link #parse} reads the labels {@link #label} writes
 * ({@code maj@1}, {@code maj@4}, {@code maj@4-first}, {@code rerank@4}, {@code rerank@4-first},
 * {@code pass@4}).
 *
 * @param kind which estimator
 * @param k samples per vote, rerank or pass (1 for maj@1)
 */
public record Accuracy(Kind kind, int k) {

  private static final Pattern LABEL = Pattern.compile("(maj|rerank|pass)@(\\d+)(-first)?");

  /** The estimators of {@link Metrics}. */
  public enum Kind {
    /** Greedy accuracy. */
    MAJ1,
    /** Majority vote, averaged over the ⌊n/K⌋ disjoint groups of K samples. */
    MAJ_AT_K,
    /** Majority vote of the first K samples (lm-evaluation-harness). */
    MAJ_AT_K_FIRST,
    /** Reward-model pick, averaged over the disjoint groups. */
    RERANK_AT_K,
    /** Reward-model pick among the first K samples. */
    RERANK_AT_K_FIRST,
    /** Unbiased pass@K over all n samples. */
    PASS_AT_K
  }

  public Accuracy {
    if (kind == null) {
      throw new IllegalArgumentException("an accuracy needs a kind");
    }
    if (k < 1 || (kind == Kind.MAJ1 && k != 1)) {
      throw new IllegalArgumentException(kind + " cannot have K=" + k);
    }
  }

  public static Accuracy maj1() {
    return new Accuracy(Kind.MAJ1, 1);
  }

  public static Accuracy majAtK(int k) {
    return new Accuracy(Kind.MAJ_AT_K, k);
  }

  public static Accuracy majAtKFirst(int k) {
    return new Accuracy(Kind.MAJ_AT_K_FIRST, k);
  }

  public static Accuracy rerankAtK(int k) {
    return new Accuracy(Kind.RERANK_AT_K, k);
  }

  public static Accuracy rerankAtKFirst(int k) {
    return new Accuracy(Kind.RERANK_AT_K_FIRST, k);
  }

  public static Accuracy passAtK(int k) {
    return new Accuracy(Kind.PASS_AT_K, k);
  }

  /**
   * Reads a {@link #label}: {@code maj@1}, {@code maj@K}, {@code rerank@K} or {@code pass@K};
   * maj and rerank take an optional {@code -first} for the first-K variant.
   */
  public static Accuracy parse(String label) {
    Matcher m = LABEL.matcher(label.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("unknown metric '" + label + "' (expected maj@1, maj@K,"
          + " maj@K-first, rerank@K, rerank@K-first or pass@K)");
    }
    int k = Integer.parseInt(m.group(2));
    boolean first = m.group(3) != null;
    return switch (m.group(1)) {
      case "maj" -> k == 1 && !first ? maj1() : first ? majAtKFirst(k) : majAtK(k);
      case "rerank" -> first ? rerankAtKFirst(k) : rerankAtK(k);
      default -> {
        if (first) {
          throw new IllegalArgumentException("pass@K always uses all n samples: '" + label + "'");
        }
        yield passAtK(k);
      }
    };
  }

  public String label() {
    return switch (kind) {
      case MAJ1 -> "maj@1";
      case MAJ_AT_K -> "maj@" + k;
      case MAJ_AT_K_FIRST -> "maj@" + k + "-first";
      case RERANK_AT_K -> "rerank@" + k;
      case RERANK_AT_K_FIRST -> "rerank@" + k + "-first";
      case PASS_AT_K -> "pass@" + k;
    };
  }

  /** Per-problem scores in the outcomes' order; rerank needs reward-model scores on every sample. */
  public double[] scores(List<ProblemOutcome> outcomes) {
    return switch (kind) {
      case MAJ1 -> Metrics.maj1Scores(outcomes);
      case MAJ_AT_K -> Metrics.majAtKScores(outcomes, k);
      case MAJ_AT_K_FIRST -> Metrics.majAtKFirstScores(outcomes, k);
      case PASS_AT_K -> Metrics.passAtKScores(outcomes, k);
      case RERANK_AT_K -> Metrics.rerankAtKScores(outcomes, k).orElseThrow(this::unscored);
      case RERANK_AT_K_FIRST -> Metrics.rerankAtKFirstScores(outcomes, k)
          .orElseThrow(this::unscored);
    };
  }

  private IllegalArgumentException unscored() {
    return new IllegalArgumentException(label() + " needs reward-model scores, and no sample has"
        + " one");
  }

  @Override
  public String toString() {
    return label();
  }
}
