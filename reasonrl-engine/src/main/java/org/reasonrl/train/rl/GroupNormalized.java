package org.reasonrl.train.rl;

import java.util.List;

/**
 * GRPO's outcome advantage (Shao et al. 2024): a sequence's total reward minus its group's mean,
 * divided by the group's standard deviation (unbiased, as {@code torch.std}) plus ε, on every
 * token of the sequence. Dr. GRPO (Liu et al. 2025) drops the division — a group with small
 * spread is not up-weighted — and pairs with a loss without length normalisation
 * ({@link LossAggregation.SequenceSumNormalized}). veRL's {@code compute_grpo_outcome_advantage}
 * with {@code norm_adv_by_std_in_grpo} true or false.
 *
 * @param divideByStd true for GRPO, false for Dr. GRPO
 * @param epsilon added to the standard deviation (veRL: 1e-6); a group whose rewards are all
 *     equal gets advantage 0 either way
 */
public record GroupNormalized(boolean divideByStd, double epsilon) implements AdvantageEstimator {

  /** veRL's default ε. */
  public static final double DEFAULT_EPSILON = 1e-6;

  public GroupNormalized {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be > 0 but was " + epsilon);
    }
  }

  public static GroupNormalized grpo(double epsilon) {
    return new GroupNormalized(true, epsilon);
  }

  public static GroupNormalized drGrpo() {
    return new GroupNormalized(false, DEFAULT_EPSILON);
  }

  @Override
  public Advantages estimate(AdvantageBatch batch) {
    String name = divideByStd ? "grpo" : "dr-grpo";
    List<int[]> groups = batch.requireGroups(name).membersOfAtLeastTwo(name);
    double[] scores = batch.sequenceRewards();
    double[] advantages = new double[scores.length];
    for (int[] group : groups) {
      double mean = 0;
      for (int i : group) {
        mean += scores[i];
      }
      mean /= group.length;
      double squares = 0;
      for (int i : group) {
        squares += (scores[i] - mean) * (scores[i] - mean);
      }
      double std = Math.sqrt(squares / (group.length - 1));
      for (int i : group) {
        advantages[i] = divideByStd ? (scores[i] - mean) / (std + epsilon) : scores[i] - mean;
      }
    }
    float[][] perToken = Advantages.broadcast(advantages, batch.rewards());
    return new Advantages(perToken, perToken);
  }

  @Override
  public boolean usesGroups() {
    return true;
  }
}
