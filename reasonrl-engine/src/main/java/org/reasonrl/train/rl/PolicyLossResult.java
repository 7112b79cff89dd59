package org.reasonrl.train.rl;

/**
 * The clipped surrogate of one micro-batch and its statistics (token means over the mask).
 *
 * @param loss the policy loss, to back-propagate (with any other terms added)
 * @param clipFraction share of tokens where the clipped term was the larger (their gradient is
 *     0): veRL's {@code pg_clipfrac}
 * @param approxKl KL(old ‖ new) estimated by k3, per token: how far the update has moved
 * @param tokens masked tokens the statistics cover (to average micro-batches)
 */
public record PolicyLossResult(AggregatedLoss loss, double clipFraction, double approxKl,
    long tokens) {}
