package org.reasonrl.train.rl;

/**
 * Builds the per-token rewards an {@link AdvantageEstimator} reads: a sequence-level score on the
 * last response token (sparse outcome rewards), and the KL-in-reward penalty of PPO (Ziegler et
 * al. 2019; trlx) and REINFORCE++: {@code r_t − β·kl_t} on every token.
 */
public final class TokenRewards {

  private TokenRewards() {}

  /** Zero on every token but the last, which carries the sequence's score. */
  public static float[][] sparse(double[] scores, int[] lengths) {
    if (scores.length != lengths.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + lengths.length
          + " lengths");
    }
    float[][] out = new float[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      if (lengths[i] < 1) {
        throw new IllegalArgumentException("sequence " + i + " has no response token to carry its"
            + " score (length " + lengths[i] + ")");
      }
      out[i] = new float[lengths[i]];
      out[i][lengths[i] - 1] = (float) scores[i];
    }
    return out;
  }

  /**
   * {@code rewards − coefficient · kl}, the KL per token by {@code estimator} between the policy
   * that sampled the tokens and the reference (log-probs at the same temperature, see the
   * package documentation). A new array; the input is unchanged.
   */
  public static float[][] withKlPenalty(float[][] rewards, float[][] logprobs,
      float[][] referenceLogprobs, KlEstimator estimator, double coefficient) {
    float[][] kl = perTokenKl(logprobs, referenceLogprobs, estimator);
    float[][] out = new float[rewards.length][];
    for (int i = 0; i < rewards.length; i++) {
      if (rewards[i].length != kl[i].length) {
        throw new IllegalArgumentException("sequence " + i + " has " + rewards[i].length
            + " rewards but " + kl[i].length + " log-probs");
      }
      out[i] = new float[rewards[i].length];
      for (int t = 0; t < out[i].length; t++) {
        out[i][t] = (float) (rewards[i][t] - coefficient * kl[i][t]);
      }
    }
    return out;
  }

  /** Per sequence and token, the KL estimate. */
  public static float[][] perTokenKl(float[][] logprobs, float[][] referenceLogprobs,
      KlEstimator estimator) {
    if (logprobs.length != referenceLogprobs.length) {
      throw new IllegalArgumentException(logprobs.length + " policy sequences but "
          + referenceLogprobs.length + " reference sequences");
    }
    float[][] out = new float[logprobs.length][];
    for (int i = 0; i < logprobs.length; i++) {
      out[i] = estimator.of(logprobs[i], referenceLogprobs[i]);
    }
    return out;
  }

  /**
   * The KL of a whole response (summed over its tokens), averaged over sequences: what trlx feeds
   * its adaptive controller, whose target (Ziegler et al.: 6 nats) is per sequence.
   */
  public static double meanSequenceKl(float[][] logprobs, float[][] referenceLogprobs,
      KlEstimator estimator) {
    float[][] kl = perTokenKl(logprobs, referenceLogprobs, estimator);
    double total = 0;
    for (float[] row : kl) {
      for (float value : row) {
        total += value;
      }
    }
    return total / kl.length;
  }
}
