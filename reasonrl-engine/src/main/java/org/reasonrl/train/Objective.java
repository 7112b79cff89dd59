package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * What an algorithm minimises, one micro-batch at a time. It returns the loss <em>summed</em> over
 * its units (e.g. masked tokens) and the number of units; the loop back-propagates each sum and
 * divides the accumulated gradient by the total count, so the step's gradient is that of the mean
 * loss over the whole batch however it is split into micro-batches. Named {@link Statistics} (KL,
 * clip fraction, entropy, …) are merged over the micro-batches the same way, as weighted sums,
 * and written into the step's {@code metrics.jsonl} record.
 *
 * @param <B> one micro-batch
 */
@FunctionalInterface
public interface Objective<B> {

  /**
   * Runs the forward pass (training mode) and the loss on {@code batch}.
   *
   * @param parameters pass to the model's {@code forward}
   * @param manager a scope that closes after this micro-batch; create inputs in it
   */
  Loss compute(B batch, ParameterStore parameters, NDManager manager);

  /**
   * @param sum scalar loss summed over {@code count} units, attached to the gradient graph
   * @param count how many units (masked tokens, sequences) the sum covers; > 0
   * @param tokens tokens processed, for the tokens/s metric
   * @param statistics this micro-batch's named statistics as weighted sums (plain numbers, off
   *     the graph); {@link Statistics#NONE} for none
   */
  record Loss(NDArray sum, double count, long tokens, Statistics statistics) {

    public Loss {
      if (statistics == null) {
        throw new IllegalArgumentException("statistics must not be null; use Statistics.NONE");
      }
    }

    /** A loss without statistics, as supervised objectives report it. */
    public Loss(NDArray sum, double count, long tokens) {
      this(sum, count, tokens, Statistics.NONE);
    }
  }
}
