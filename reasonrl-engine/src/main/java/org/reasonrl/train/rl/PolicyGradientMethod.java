package org.reasonrl.train.rl;

/**
 * What sets one policy-gradient method apart on the shared core: its advantage estimator and its
 * loss aggregation. Everything else (rollouts, clipped surrogate, epochs) is common.
 *
 * @param name as {@link PolicyGradientMethods#named} reads it
 * @param estimator the advantages
 * @param aggregation the default loss aggregation of the method's paper or reference code
 */
public record PolicyGradientMethod(String name, AdvantageEstimator estimator,
    LossAggregation aggregation) {

  /** PPO's critic: only GAE reads values. */
  public boolean usesCritic() {
    return estimator.usesValues();
  }

  /** K samples per prompt needed (K >= 2). */
  public boolean usesGroups() {
    return estimator.usesGroups();
  }

  /** The same method with another aggregation (e.g. DAPO's token-mean for GRPO). */
  public PolicyGradientMethod withAggregation(LossAggregation other) {
    return new PolicyGradientMethod(name, estimator, other);
  }
}
