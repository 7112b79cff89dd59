package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.reasonrl.model.CausalLm;

/**
 * Teacher-forced next-token training on {@link TokenizedExample}s, shared by pretraining, SFT and
 * Expert Iteration: a shuffled {@link BatchSource} (pure in the step) of {@link SequenceBatch}
 * micro-batches and the completion-only masked NLL {@link Objective}.
 */
public final class SupervisedBatches {

  private SupervisedBatches() {}

  /**
   * Batches drawn this many at a time are grouped by length: padding to the longest row of a
   * batch then wastes little compute (Hugging Face's {@code group_by_length} does the same).
   */
  static final int LENGTH_GROUP_BATCHES = 16;

  /**
   * Batches from the seeded per-epoch shuffle, grouped by length: the steps of window
   * {@code w} (steps {@code w*G ... w*G+G-1}, {@code G} = {@link #LENGTH_GROUP_BATCHES} or fewer
   * for small data) share shuffle positions {@code w*G*batchSize ...}, sorted by length, cut into
   * {@code G} batches and taken in a seeded order of the window. Every example is seen once per
   * window's worth of positions as without grouping; a batch is a pure function of the step.
   * Each batch is cut into micro-batches of {@code microBatchSize}.
   */
  public static BatchSource<SequenceBatch> source(List<TokenizedExample> examples, long seed,
      int batchSize, int microBatchSize, int padId) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    if (batchSize < 1 || microBatchSize < 1) {
      throw new IllegalArgumentException("batchSize and microBatchSize must be >= 1 but were "
          + batchSize + ", " + microBatchSize);
    }
    List<TokenizedExample> data = List.copyOf(examples);
    LengthGroupedOrder order = new LengthGroupedOrder(new ShuffledOrder(seed, data.size()), seed,
        batchSize, Math.max(1, Math.min(LENGTH_GROUP_BATCHES, data.size() / batchSize)),
        i -> data.get(i).length());
    return step -> {
      int[] indices = order.batch(step);
      List<SequenceBatch> micro = new ArrayList<>();
      for (int start = 0; start < indices.length; start += microBatchSize) {
        List<TokenizedExample> part = new ArrayList<>();
        for (int i = start; i < Math.min(indices.length, start + microBatchSize); i++) {
          part.add(data.get(indices[i]));
        }
        micro.add(SequenceBatch.of(part, padId));
      }
      return micro;
    };
  }

  /** The window bookkeeping of {@link #source}; caches the current window. */
  static final class LengthGroupedOrder {
    private final ShuffledOrder order;
    private final long seed;
    private final int batchSize;
    private final int groupBatches;
    private final IntUnaryOperator length;
    private long cachedWindow = -1;
    private int[] cachedSorted;
    private int[] cachedSlots;

    LengthGroupedOrder(ShuffledOrder order, long seed, int batchSize, int groupBatches,
        IntUnaryOperator length) {
      this.order = order;
      this.seed = seed;
      this.batchSize = batchSize;
      this.groupBatches = groupBatches;
      this.length = length;
    }

    synchronized int[] batch(long step) {
      long window = step / groupBatches;
      if (window != cachedWindow) {
        int[] positions = order.batch(window, batchSize * groupBatches);
        cachedSorted = IntStream.range(0, positions.length).boxed()
            .sorted(Comparator.<Integer>comparingInt(i -> length.applyAsInt(positions[i]))
                .thenComparingInt(i -> i))
            .mapToInt(i -> positions[i]).toArray();
        cachedSlots = ShuffledOrder.permutation(ShuffledOrder.mix(seed, 0x4C454E47L, window),
            groupBatches);
        cachedWindow = window;
      }
      int slot = cachedSlots[(int) (step % groupBatches)];
      return Arrays.copyOfRange(cachedSorted, slot * batchSize, (slot + 1) * batchSize);
    }
  }

  /** Masked next-token NLL of {@code model} on one micro-batch. */
  public static Objective<SequenceBatch> objective(CausalLm model) {
    return (batch, ps, manager) -> {
      NDArray logits = model.forward(ps, batch.inputArray(manager),
          batch.attentionArray(manager), null, true).logits();
      return TokenLosses.maskedNllLoss(logits, batch.targetArray(manager),
          batch.lossMaskArray(manager));
    };
  }

  /**
   * The mean masked NLL per completion token over {@code examples} (no gradients), e.g. the
   * validation loss.
   */
  public static double meanLoss(CausalLm model, List<TokenizedExample> examples, int batchSize,
      int padId, NDManager manager) {
    double sum = 0;
    double count = 0;
    for (int start = 0; start < examples.size(); start += batchSize) {
      try (NDManager scope = manager.newSubManager()) {
        SequenceBatch batch = SequenceBatch.of(
            examples.subList(start, Math.min(examples.size(), start + batchSize)), padId);
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray logits = model.forward(ps, batch.inputArray(scope), batch.attentionArray(scope),
            null, false).logits();
        NDArray mask = batch.lossMaskArray(scope);
        sum += TokenLosses.maskedNllSum(logits, batch.targetArray(scope), mask).getFloat();
        count += mask.sum().getFloat();
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
