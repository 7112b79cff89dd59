package org.reasonrl.train.rl;

/**
 * REINFORCE++ (Hu 2025): per token the discounted return of the rewards from there to the end,
 * {@code G_t = r_t + γ·G_{t+1}}, with the KL penalty already in the per-token rewards
 * ({@link TokenRewards#withKlPenalty}); the advantages are these returns whitened over the
 * whole batch (a global baseline and scale, no critic, no groups). veRL's
 * {@code compute_reinforce_plus_plus_outcome_advantage}; the returns are the unwhitened
 * {@code G}.
 *
 * @param gamma discount γ in [0, 1]
 */
public record ReinforcePlusPlus(double gamma) implements AdvantageEstimator {

  public ReinforcePlusPlus {
    Gae.checkUnitInterval("gamma", gamma);
  }

  @Override
  public Advantages estimate(AdvantageBatch batch) {
    float[][] rewards = batch.rewards();
    float[][] returns = new float[rewards.length][];
    for (int i = 0; i < rewards.length; i++) {
      returns[i] = new float[rewards[i].length];
      double running = 0;
      for (int t = rewards[i].length - 1; t >= 0; t--) {
        running = rewards[i][t] + gamma * running;
        returns[i][t] = (float) running;
      }
    }
    return new Advantages(Whitening.whiten(returns), returns);
  }
}
