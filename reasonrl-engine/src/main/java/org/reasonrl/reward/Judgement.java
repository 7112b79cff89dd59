package org.reasonrl.reward;

import org.reasonrl.data.Answers;
import org.reasonrl.data.ExtractedAnswer;

/**
 * Whether a completion's final answer is right: the one judgement EI's filter, ORM labelling,
 * every reward function and evaluation share (extraction and comparison of {@link Answers}).
 *
 * @param answer the final answer extracted from the completion
 * @param correct whether that answer equals the gold answer
 */
public record Judgement(ExtractedAnswer answer, boolean correct) {

  /** Extracts the final answer of {@code completion} and compares it with {@code gold}. */
  public static Judgement of(String completion, String gold) {
    ExtractedAnswer answer = Answers.extract(completion);
    return new Judgement(answer, Answers.isCorrect(answer, gold));
  }

  /** No answer could be extracted at all (neither a {@code #### N} line nor any number). */
  public boolean malformed() {
    return !answer.present();
  }

  /** The answer came from a strict {@code #### N} line (what a strict filter requires). */
  public boolean strict() {
    return answer.rule() == ExtractedAnswer.Rule.STRICT;
  }
}
