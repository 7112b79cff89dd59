package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.reasonrl.model.Scalars;

/**
 * PPO's clipped surrogate (Schulman et al. 2017), per token,
 * {@code max(−A·r, −A·clip(r, 1−ε_low, 1+ε_high))} with {@code r = exp(logp − logp_old)},
 * then aggregated ({@link LossAggregation}). The same loss serves PPO, GRPO, Dr. GRPO, RLOO and
 * REINFORCE++: they differ in the advantages and the aggregation. veRL's
 * {@code compute_policy_loss_vanilla}.
 *
 * <p>{@code logprobs} and {@code oldLogprobs} must be at the same temperature — the sampling
 * temperature, via {@link TemperedLogProbs} (see the package documentation); then r is exactly 1
 * before the first update.
 *
 * @param clip the ratio's clip range
 * @param aggregation how per-token losses become the minibatch loss
 */
public record ClippedPolicyLoss(ClipRange clip, LossAggregation aggregation) {

  /** As veRL, the log-ratio is clamped before the exponential so it cannot overflow. */
  static final double LOG_RATIO_BOUND = 20;

  /**
   * @param logprobs (B,T) log-probs of the sampled tokens under the policy being trained
   *     (attached to the gradient graph)
   * @param oldLogprobs (B,T) the same under the policy that sampled them (constant)
   * @param advantages (B,T) per-token advantages (constant)
   * @param mask (B,T) 1 on response tokens, 0 on padding
   */
  public PolicyLossResult compute(NDArray logprobs, NDArray oldLogprobs, NDArray advantages,
      NDArray mask) {
    if (!logprobs.getShape().equals(oldLogprobs.getShape())
        || !logprobs.getShape().equals(advantages.getShape())) {
      throw new IllegalArgumentException("log-probs " + logprobs.getShape() + ", old log-probs "
          + oldLogprobs.getShape() + " and advantages " + advantages.getShape()
          + " must have one shape");
    }
    // clip passes its bounds to libtorch by value: safe inside autograd (not a Scalars case).
    NDArray logRatio = logprobs.sub(oldLogprobs).clip(-LOG_RATIO_BOUND, LOG_RATIO_BOUND);
    NDArray ratio = logRatio.exp();
    NDArray negativeAdvantages = advantages.neg();
    NDArray unclipped = negativeAdvantages.mul(ratio);
    NDArray clipped = negativeAdvantages.mul(ratio.clip(1 - clip.low(), 1 + clip.high()));
    NDArray tokenLoss = unclipped.maximum(clipped);
    if (clip.hasDualClip()) {
      NDArray cap = Scalars.mul(negativeAdvantages, clip.dualClip());
      NDArray negative = advantages.lt(advantages.zerosLike());
      tokenLoss = NDArrays.where(negative, tokenLoss.minimum(cap), tokenLoss);
    }
    double clipFraction = Masks.mean(clipped.gt(unclipped), mask);
    return new PolicyLossResult(aggregation.aggregate(tokenLoss, mask), clipFraction,
        approxKl(logRatio, mask), (long) Masks.total(mask));
  }

  /**
   * KL(old ‖ new) by k3 over the tokens, sampled from the old policy: with r = new/old,
   * {@code E_old[r − 1 − log r]} is exactly that KL (unbiased, non-negative).
   */
  private static double approxKl(NDArray logRatio, NDArray mask) {
    float[] logRatios = logRatio.toType(DataType.FLOAT32, false).toFloatArray();
    float[] weights = mask.toType(DataType.FLOAT32, false).toFloatArray();
    double sum = 0;
    double count = 0;
    for (int i = 0; i < logRatios.length; i++) {
      if (weights[i] > 0) {
        sum += Math.expm1(logRatios[i]) - logRatios[i];
        count++;
      }
    }
    return sum / count;
  }
}
