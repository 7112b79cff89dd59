package org.reasonrl.train;

import org.reasonrl.data.PromptFormat;
import org.reasonrl.text.Tokenizer;

/**
 * A training sequence: the prompt (no loss) and the completion the model learns to write (loss
 * on every completion token, EOS included). SFT, Expert Iteration and the ORM all train on these;
 * sampled rollouts become them without re-tokenising (their tokens are what the model wrote).
 *
 * @param prompt token ids the model conditions on (BOS first when the tokenizer has one)
 * @param completion token ids to learn, ending with EOS for a finished solution
 * @param unscored indices into {@code completion} of tokens the model reads but is not trained
 *     to write (Return-Conditioned RL's condition tokens), strictly increasing; usually none
 */
public record TokenizedExample(int[] prompt, int[] completion, int[] unscored) {

  public TokenizedExample {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("an example needs at least one prompt token (e.g. BOS)");
    }
    if (completion.length == 0) {
      throw new IllegalArgumentException("an example needs at least one completion token");
    }
    for (int i = 0; i < unscored.length; i++) {
      if (unscored[i] < 0 || unscored[i] >= completion.length
          || (i > 0 && unscored[i] <= unscored[i - 1])) {
        throw new IllegalArgumentException("unscored positions must be strictly increasing"
            + " indices into the completion of " + completion.length + " tokens but were "
            + java.util.Arrays.toString(unscored));
      }
    }
  }

  /** Every completion token is learned. */
  public TokenizedExample(int[] prompt, int[] completion) {
    this(prompt, completion, new int[0]);
  }

  /** Question and reference solution in the shared prompt format, tokenised as sampling does. */
  public static TokenizedExample of(Tokenizer tokenizer, PromptFormat format, String question,
      String solution) {
    return new TokenizedExample(
        PromptFormat.encodePrompt(tokenizer, format.prompt(question)),
        PromptFormat.encodeCompletion(tokenizer, PromptFormat.completion(solution)));
  }

  public int length() {
    return prompt.length + completion.length;
  }
}
