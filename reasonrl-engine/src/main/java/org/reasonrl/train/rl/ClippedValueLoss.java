package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import org.reasonrl.model.Scalars;

/**
 * PPO's clipped value loss: the prediction may move at most {@code clip} from the value it had
 * when the rollout was scored, and the loss is the larger of the clipped and unclipped squared
 * errors, {@code ½·max((V − R)², (V_old + clip(V − V_old, −c, c) − R)²)} per token, aggregated.
 * veRL's and TRL's {@code compute_value_loss}.
 *
 * @param clip c > 0 (PAPER.md: 0.2); {@code +∞} disables clipping
 * @param aggregation how per-token losses become the minibatch loss
 */
public record ClippedValueLoss(double clip, LossAggregation aggregation) {

  public ClippedValueLoss {
    if (!(clip > 0)) {
      throw new IllegalArgumentException("value clip must be > 0 but was " + clip);
    }
  }

  /**
   * @param values (B,T) the critic's predictions now (attached to the gradient graph)
   * @param oldValues (B,T) its predictions at rollout time (constant)
   * @param returns (B,T) the targets, e.g. {@link Gae}'s returns (constant)
   * @param mask (B,T) 1 on response tokens, 0 on padding
   */
  public ValueLossResult compute(NDArray values, NDArray oldValues, NDArray returns,
      NDArray mask) {
    if (!values.getShape().equals(oldValues.getShape())
        || !values.getShape().equals(returns.getShape())) {
      throw new IllegalArgumentException("values " + values.getShape() + ", old values "
          + oldValues.getShape() + " and returns " + returns.getShape() + " must have one shape");
    }
    NDArray unclipped = values.sub(returns).square();
    NDArray tokenLoss = unclipped;
    double clipFraction = 0;
    if (Double.isFinite(clip)) {
      NDArray moved = values.sub(oldValues).clip(-clip, clip);
      NDArray clipped = oldValues.add(moved).sub(returns).square();
      tokenLoss = unclipped.maximum(clipped);
      clipFraction = Masks.mean(clipped.gt(unclipped), mask);
    }
    AggregatedLoss aggregated = aggregation.aggregate(tokenLoss, mask);
    return new ValueLossResult(new AggregatedLoss(Scalars.mul(aggregated.sum(), 0.5),
        aggregated.count()), clipFraction);
  }
}
