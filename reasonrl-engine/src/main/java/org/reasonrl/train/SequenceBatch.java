package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;

/**
 * Examples laid out for teacher forcing, right-padded: the model reads {@code inputs} (sequence
 * without its last token) and is scored on {@code targets} (sequence without its first token)
 * where {@code lossMask} is 1 — the completion tokens only (less those the example marks
 * unscored), never the prompt or padding.
 * Right padding is safe for training: causal attention never lets a real token see the padding
 * after it, and positions come from the attention mask.
 */
public record SequenceBatch(int[][] inputs, int[][] attentionMask, int[][] targets,
    int[][] lossMask, long tokens) {

  public static SequenceBatch of(List<TokenizedExample> examples, int padId) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one example");
    }
    int width = examples.stream().mapToInt(TokenizedExample::length).max().orElseThrow() - 1;
    int rows = examples.size();
    int[][] inputs = new int[rows][width];
    int[][] attention = new int[rows][width];
    int[][] targets = new int[rows][width];
    int[][] loss = new int[rows][width];
    long tokens = 0;
    for (int r = 0; r < rows; r++) {
      TokenizedExample example = examples.get(r);
      int[] sequence = Arrays.copyOf(example.prompt(), example.length());
      System.arraycopy(example.completion(), 0, sequence, example.prompt().length,
          example.completion().length);
      Arrays.fill(inputs[r], padId);
      Arrays.fill(targets[r], padId);
      int steps = sequence.length - 1;
      System.arraycopy(sequence, 0, inputs[r], 0, steps);
      System.arraycopy(sequence, 1, targets[r], 0, steps);
      Arrays.fill(attention[r], 0, steps, 1);
      // Target t is sequence[t + 1]: a completion token when t + 1 >= prompt length.
      Arrays.fill(loss[r], example.prompt().length - 1, steps, 1);
      for (int position : example.unscored()) {
        loss[r][example.prompt().length - 1 + position] = 0;
      }
      tokens += steps;
    }
    return new SequenceBatch(inputs, attention, targets, loss, tokens);
  }

  public NDArray inputArray(NDManager manager) {
    return manager.create(inputs);
  }

  public NDArray attentionArray(NDManager manager) {
    return manager.create(attentionMask);
  }

  public NDArray targetArray(NDManager manager) {
    return manager.create(targets);
  }

  /** The loss mask as float32 (B, T), ready to multiply per-token losses. */
  public NDArray lossMaskArray(NDManager manager) {
    return manager.create(lossMask).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
  }

  public int rows() {
    return inputs.length;
  }
}
