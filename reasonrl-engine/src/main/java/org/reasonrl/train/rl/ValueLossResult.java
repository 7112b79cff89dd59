package org.reasonrl.train.rl;

/**
 * @param loss the value loss (½ the aggregated squared error)
 * @param clipFraction share of tokens where the clipped error was the larger (veRL's
 *     {@code vf_clipfrac})
 */
public record ValueLossResult(AggregatedLoss loss, double clipFraction) {}
