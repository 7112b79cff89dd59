package org.reasonrl.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.reasonrl.text.Tokenizer;

/**
 * A generated solution's steps: its lines. A step ends at each token whose text contains a
 * newline, and the last step at the last generated token (it need not end with one; an EOS after
 * the final newline belongs to the last step). With the embedded WordLevel tokenizer every
 * newline is a token of its own, so steps are exactly the lines; with a BPE tokenizer that
 * merges a newline with what follows, that text joins the earlier step.
 */
public final class SolutionSteps {

  private static final byte UNKNOWN = 0;
  private static final byte NO_NEWLINE = 1;
  private static final byte NEWLINE = 2;

  private final Tokenizer tokenizer;
  /** Per token id, whether its text holds a newline; filled on first sight (idempotent races). */
  private final byte[] newline;

  public SolutionSteps(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.newline = new byte[tokenizer.vocabSize()];
  }

  /** One past each step's last token (strictly increasing, the last is {@code tokens.length}). */
  public int[] ends(int[] tokens) {
    return ends(tokens, this::endsLine);
  }

  /** The text of each step (special tokens skipped), for {@code ends} from {@link #ends}. */
  public List<String> texts(int[] tokens, int[] ends) {
    List<String> texts = new ArrayList<>(ends.length);
    int start = 0;
    for (int end : ends) {
      texts.add(tokenizer.decode(Arrays.copyOfRange(tokens, start, end), true));
      start = end;
    }
    return texts;
  }

  /**
   * Step ends for a given newline test: the index after each token that {@code endsLine}, and
   * the completion's length. An empty completion has no steps.
   */
  public static int[] ends(int[] completion, IntPredicate endsLine) {
    if (completion.length == 0) {
      return new int[0];
    }
    List<Integer> ends = new ArrayList<>();
    for (int t = 0; t + 1 < completion.length; t++) {
      if (endsLine.test(completion[t])) {
        ends.add(t + 1);
      }
    }
    ends.add(completion.length);
    return ends.stream().mapToInt(Integer::intValue).toArray();
  }

  private boolean endsLine(int id) {
    if (newline[id] == UNKNOWN) {
      newline[id] = tokenizer.decode(new int[] {id}).indexOf('\n') >= 0 ? NEWLINE : NO_NEWLINE;
    }
    return newline[id] == NEWLINE;
  }
}
