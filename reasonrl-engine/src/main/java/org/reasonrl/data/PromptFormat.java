package org.reasonrl.data;

import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.text.Tokenizer;

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

  /** A prompt's token ids as the model sees them: BOS (if the tokenizer has one), then text. */
  public static int[] encodePrompt(Tokenizer tokenizer, String prompt) {
    int[] text = tokenizer.encode(prompt);
    if (tokenizer.bosId() < 0) {
      return text;
    }
    int[] ids = new int[text.length + 1];
    ids[0] = tokenizer.bosId();
    System.arraycopy(text, 0, ids, 1, text.length);
    return ids;
  }

  /** The length of {@link #encodePrompt}, however long: to check it against a context. */
  public static int promptLength(Tokenizer tokenizer, String prompt) {
    return tokenizer.count(prompt) + (tokenizer.bosId() < 0 ? 0 : 1);
  }

  /** The length of {@link #encodeCompletion} (EOS included), however long. */
  public static int completionLength(Tokenizer tokenizer, String completion) {
    return tokenizer.count(completion) + 1;
  }

  /** A completion's token ids as a model is trained to write them: text, then EOS. */
  public static int[] encodeCompletion(Tokenizer tokenizer, String completion) {
    int[] text = tokenizer.encode(completion);
    if (tokenizer.eosId() < 0) {
      throw new IllegalArgumentException("tokenizer " + tokenizer.file() + " has no EOS token");
    }
    int[] ids = java.util.Arrays.copyOf(text, text.length + 1);
    ids[text.length] = tokenizer.eosId();
    return ids;
  }

  /** The text the model is trained to write after the prompt (EOS follows it). */
  public static String completion(String solution) {
    return " " + solution;
  }
}
