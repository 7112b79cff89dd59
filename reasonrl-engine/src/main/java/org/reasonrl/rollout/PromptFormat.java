package org.reasonrl.rollout;

import java.util.List;
import org.reasonrl.data.Problem;

/**
 * How a question becomes a prompt and a reference solution a training target. Zero-shot is
 * {@code "Question: q\nAnswer:"}, answered by {@code " " + solution}; few-shot puts worked
 * exemplars in the same format before it (for models that never saw the format: the paper's
 * "prompted" pretrained baseline). SFT, sampling and every algorithm share this one format.
 */
public final class PromptFormat {

  static final String QUESTION = "Question: ";
  static final String ANSWER = "\nAnswer:";
  static final String EXEMPLAR_SEPARATOR = "\n\n";

  private final List<Problem> exemplars;

  private PromptFormat(List<Problem> exemplars) {
    this.exemplars = List.copyOf(exemplars);
  }

  public static PromptFormat zeroShot() {
    return new PromptFormat(List.of());
  }

  /** Few-shot: each exemplar needs a reference solution. */
  public static PromptFormat fewShot(List<Problem> exemplars) {
    for (Problem exemplar : exemplars) {
      if (!exemplar.hasReferenceSolution()) {
        throw new IllegalArgumentException(
            "few-shot exemplar " + exemplar.id() + " has no reference solution");
      }
    }
    return new PromptFormat(exemplars);
  }

  public int shots() {
    return exemplars.size();
  }

  public String prompt(String question) {
    StringBuilder text = new StringBuilder();
    for (Problem exemplar : exemplars) {
      text.append(QUESTION).append(exemplar.question()).append(ANSWER)
          .append(completion(exemplar.referenceSolution())).append(EXEMPLAR_SEPARATOR);
    }
    return text.append(QUESTION).append(question).append(ANSWER).toString();
  }

  /** The text the model is trained to write after the prompt (EOS follows it). */
  public static String completion(String solution) {
    return " " + solution;
  }
}
