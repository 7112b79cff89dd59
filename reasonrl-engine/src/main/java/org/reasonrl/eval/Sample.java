package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.reasonrl.data.Answers;
import org.reasonrl.data.ExtractedAnswer;

/**
 * One sampled solution of a problem.
 *
 * @param text the completion
 * @param answer the final answer extracted from it
 * @param correct whether that answer equals the gold answer
 * @param score an outcome-reward-model score, or {@code null} when no reward model scored it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sample(String text, ExtractedAnswer answer, boolean correct, Double score) {

  /** Extracts the answer from {@code text} and judges it against {@code gold}. */
  public static Sample judge(String text, String gold, Double score) {
    ExtractedAnswer answer = Answers.extract(text);
    return new Sample(text, answer, Answers.isCorrect(answer, gold), score);
  }
}
