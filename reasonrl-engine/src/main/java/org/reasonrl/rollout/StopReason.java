package org.reasonrl.rollout;

/** Why a completion ended. */
public enum StopReason {
  /** The model emitted its end-of-sequence token. */
  EOS,
  /** The completion wrote its {@code #### N} line. */
  ANSWER_LINE,
  /** The token budget ran out first. */
  MAX_TOKENS
}
