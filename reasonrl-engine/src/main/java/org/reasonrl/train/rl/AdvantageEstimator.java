package org.reasonrl.train.rl;

/**
 * Turns a batch's per-token rewards (and, for GAE, the critic's values) into per-token
 * advantages. One small class per method, as veRL's {@code core_algos.py} registers one function
 * each: {@link Gae}, {@link GroupNormalized} (GRPO, Dr. GRPO), {@link Rloo},
 * {@link ReinforcePlusPlus}; pick one by name with {@link PolicyGradientMethods}. Pure functions
 * of their input, outside autograd.
 */
public interface AdvantageEstimator {

  Advantages estimate(AdvantageBatch batch);

  /** Whether {@link #estimate} reads {@link AdvantageBatch#values()} (needs a critic). */
  default boolean usesValues() {
    return false;
  }

  /** Whether {@link #estimate} reads {@link AdvantageBatch#groups()} (needs K samples a prompt). */
  default boolean usesGroups() {
    return false;
  }
}
