package org.reasonrl.rollout;

/** Why a completion ended. */
public enum StopReason {
  /** The model emitted its end-of-sequence token. */
  EOS,
  /**
   * The sampling options' {@link StopCondition} was met: with the default
   * {@link StopCondition#ANSWER_LINE}, the completion wrote its {@code #### N} line.
   */
  ANSWER_LINE,
  /** The token budget (max new tokens, or what the model's context leaves) ran out first. */
  MAX_TOKENS
}
