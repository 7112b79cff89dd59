package org.reasonrl.train.rl;

/**
 * Generalised advantage estimation (Schulman et al. 2016) for PPO with a critic, per sequence
 * from its last token back:
 * {@code δ_t = r_t + γ·V_{t+1} − V_t}, {@code A_t = δ_t + γλ·A_{t+1}}, with {@code V} and
 * {@code A} after the last token taken as 0 (the episode ends there). Returns (the critic's
 * targets) are {@code A + V} from the raw advantages, before any whitening — as veRL and TRL.
 *
 * @param gamma discount γ in [0, 1] (PAPER.md: 1)
 * @param lambda GAE λ in [0, 1] (PAPER.md: 0.95)
 * @param whiten whiten the advantages over the batch ({@link Whitening}); PPO's default
 */
public record Gae(double gamma, double lambda, boolean whiten) implements AdvantageEstimator {

  public Gae {
    checkUnitInterval("gamma", gamma);
    checkUnitInterval("lambda", lambda);
  }

  @Override
  public Advantages estimate(AdvantageBatch batch) {
    float[][] rewards = batch.rewards();
    float[][] values = batch.requireValues("gae");
    float[][] advantages = new float[rewards.length][];
    float[][] returns = new float[rewards.length][];
    for (int i = 0; i < rewards.length; i++) {
      int length = rewards[i].length;
      advantages[i] = new float[length];
      returns[i] = new float[length];
      double next = 0;
      double nextAdvantage = 0;
      for (int t = length - 1; t >= 0; t--) {
        double delta = rewards[i][t] + gamma * next - values[i][t];
        nextAdvantage = delta + gamma * lambda * nextAdvantage;
        next = values[i][t];
        advantages[i][t] = (float) nextAdvantage;
        returns[i][t] = (float) (nextAdvantage + values[i][t]);
      }
    }
    return new Advantages(whiten ? Whitening.whiten(advantages) : advantages, returns);
  }

  @Override
  public boolean usesValues() {
    return true;
  }

  static void checkUnitInterval(String parameter, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(parameter + " must be in [0, 1] but was " + value);
    }
  }
}
