package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.reasonrl.data.ExtractedAnswer;
import org.reasonrl.reward.Judgement;

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

  /** Judges {@code text} against {@code gold} as every reward function does ({@link Judgement}). */
  public static Sample judge(String text, String gold, Double score) {
    Judgement judgement = Judgement.of(text, gold);
    return new Sample(text, judgement.answer(), judgement.correct(), score);
  }
}
