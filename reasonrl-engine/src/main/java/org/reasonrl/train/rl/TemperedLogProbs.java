package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import org.reasonrl.model.Scalars;
import org.reasonrl.train.TokenLosses;

/**
 * Log-probabilities of given tokens under {@code softmax(logits / T)}, the distribution the
 * sampler draws from at temperature T (without a nucleus cut). PPO computes both sides of its
 * ratio with this, at the rollout temperature — see the package documentation for why.
 */
public final class TemperedLogProbs {

  private TemperedLogProbs() {}

  /**
   * @param logits (B,T,V), the model's raw logits
   * @param tokens (B,T) token ids aligned with the logits ({@code tokens[b,t]} is what
   *     {@code logits[b,t]} predicts)
   * @param temperature T > 0
   * @return (B,T) log-probs, differentiable in the logits
   */
  public static NDArray of(NDArray logits, NDArray tokens, double temperature) {
    return TokenLosses.tokenLogProbs(tempered(logits, temperature), tokens);
  }

  /** (B,T,V) {@code log softmax(logits / T)}: every token's log-prob, to gather from. */
  public static NDArray allTokens(NDArray logits, double temperature) {
    return tempered(logits, temperature).logSoftmax(-1);
  }

  /** The (B,T) entries of {@code tokens} from {@link #allTokens}' (B,T,V) log-probs. */
  public static NDArray gather(NDArray allTokens, NDArray tokens) {
    NDArray index = tokens.toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(-1);
    return allTokens.gather(index, -1).squeeze(-1);
  }

  /** {@code logits / T} (the logits themselves at T = 1). */
  static NDArray tempered(NDArray logits, double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("the temperature of policy log-probs must be > 0 (PPO"
          + " cannot learn from greedy rollouts) but was " + temperature);
    }
    return temperature == 1 ? logits : Scalars.div(logits, temperature);
  }
}
