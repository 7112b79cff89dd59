package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.model.CausalLm;

/**
 * Teacher-forced next-token training on {@link TokenizedExample}s, shared by pretraining, SFT and
 * Expert Iteration: a shuffled {@link BatchSource} (pure in the step) of {@link SequenceBatch}
 * micro-batches and the completion-only masked NLL {@link Objective}.
 */
public final class SupervisedBatches {

  private SupervisedBatches() {}

  /**
   * Step {@code s} takes examples {@code s*batchSize ...} of the seeded per-epoch shuffle, cut
   * into micro-batches of {@code microBatchSize}.
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
    ShuffledOrder order = new ShuffledOrder(seed, data.size());
    return step -> {
      int[] indices = order.batch(step, batchSize);
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
