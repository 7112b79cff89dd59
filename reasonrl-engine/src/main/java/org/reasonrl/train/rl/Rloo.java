package org.reasonrl.train.rl;

import java.util.List;

/**
 * REINFORCE leave-one-out (Kool et al. 2019; Ahmadian et al. 2024): a sequence's total reward
 * minus the mean of the <em>other</em> samples of its prompt, {@code r_i − (Σ_j r_j − r_i)/(K−1)},
 * on every token. The baseline does not depend on the sequence itself, so the estimate is
 * unbiased. veRL's {@code compute_rloo_outcome_advantage}.
 */
public record Rloo() implements AdvantageEstimator {

  @Override
  public Advantages estimate(AdvantageBatch batch) {
    List<int[]> groups = batch.requireGroups("rloo").membersOfAtLeastTwo("rloo");
    double[] scores = batch.sequenceRewards();
    double[] advantages = new double[scores.length];
    for (int[] group : groups) {
      double sum = 0;
      for (int i : group) {
        sum += scores[i];
      }
      for (int i : group) {
        advantages[i] = scores[i] - (sum - scores[i]) / (group.length - 1);
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
