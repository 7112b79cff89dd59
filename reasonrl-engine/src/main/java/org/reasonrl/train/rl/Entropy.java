package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;

/**
 * The policy's entropy per position, {@code H = −Σ_v p_v log p_v} with {@code p = softmax(z/T)}:
 * a statistic (falling entropy = a collapsing policy) and, with a negative weight, an entropy
 * bonus. Differentiable.
 */
public final class Entropy {

  private Entropy() {}

  /**
   * @param logits (B,T,V)
   * @param temperature T > 0, the one the ratio is computed at
   * @return (B,T), in nats
   */
  public static NDArray ofLogits(NDArray logits, double temperature) {
    if (logits.getShape().dimension() != 3) {
      throw new IllegalArgumentException("logits must be (B,T,V) but are " + logits.getShape());
    }
    return ofLogProbs(TemperedLogProbs.allTokens(logits, temperature));
  }

  /** (B,T) entropy from (B,T,V) log-probabilities ({@link TemperedLogProbs#allTokens}). */
  public static NDArray ofLogProbs(NDArray logProbs) {
    return logProbs.exp().mul(logProbs).sum(new int[] {-1}).neg();
  }

  /** The mean entropy over the masked positions, as a number (NaN for an empty mask). */
  public static double mean(NDArray tokenEntropy, NDArray mask) {
    return Masks.mean(tokenEntropy, mask);
  }
}
