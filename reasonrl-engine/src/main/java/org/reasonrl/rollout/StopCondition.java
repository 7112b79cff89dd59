package org.reasonrl.rollout;

import org.reasonrl.data.Answers;

/**
 * A rule on the text a row has written so far that ends it before its EOS token or its token
 * budget; the rollout then stops with {@link StopReason#ANSWER_LINE}. Checked after every token.
 */
@FunctionalInterface
public interface StopCondition {

  /** Only EOS and the token budget end a row. */
  StopCondition NONE = completion -> false;

  /** GSM8K format: stop once the {@code #### N} line is written and ended. */
  StopCondition ANSWER_LINE = Answers::hasCompleteAnswerLine;

  /** Whether the completion so far (text of the generated tokens, EOS excluded) is done. */
  boolean isMet(CharSequence completion);
}
