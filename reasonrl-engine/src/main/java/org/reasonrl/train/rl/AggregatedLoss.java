package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import org.reasonrl.model.Scalars;
import org.reasonrl.train.Objective;

/**
 * A loss term of one micro-batch as the training core accumulates it: a summed scalar (attached
 * to the gradient graph) and the count it is to be divided by over the whole minibatch. Summing
 * {@link #sum} and {@link #count} over micro-batches and dividing once gives the same loss however
 * the minibatch is split — the {@link Objective.Loss} contract.
 *
 * @param sum scalar, the term summed over its units
 * @param count units covered (tokens or sequences, by {@link LossAggregation})
 */
public record AggregatedLoss(NDArray sum, double count) {

  /** The term as a mean over this micro-batch alone. */
  public NDArray mean() {
    if (!(count > 0)) {
      throw new IllegalStateException("the loss covers no tokens (count " + count + ")");
    }
    return Scalars.div(sum, count);
  }

  /**
   * {@code this + weight · other}, for terms of one objective (policy, value, KL, entropy). Both
   * must be aggregated alike over the same mask, so they share a count.
   */
  public AggregatedLoss plus(AggregatedLoss other, double weight) {
    if (other.count != count) {
      throw new IllegalArgumentException("cannot add a loss over " + other.count + " units to one"
          + " over " + count + ": aggregate every term of an objective the same way");
    }
    return new AggregatedLoss(sum.add(Scalars.mul(other.sum, weight)), count);
  }

  /** As the training loop's micro-batch loss. */
  public Objective.Loss toObjectiveLoss(long tokensProcessed) {
    return new Objective.Loss(sum, count, tokensProcessed);
  }
}
