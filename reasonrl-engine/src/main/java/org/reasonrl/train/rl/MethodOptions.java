package org.reasonrl.train.rl;

/**
 * The numbers {@link PolicyGradientMethods} builds a method from; each method reads the ones it
 * needs.
 *
 * @param gamma discount γ in [0, 1] (GAE, REINFORCE++; PAPER.md: 1)
 * @param lambda GAE λ in [0, 1] (PAPER.md: 0.95)
 * @param groupEpsilon added to GRPO's group standard deviation
 * @param maxResponseLength Dr. GRPO's loss normaliser (the rollouts' max new tokens)
 */
public record MethodOptions(double gamma, double lambda, double groupEpsilon,
    int maxResponseLength) {

  public MethodOptions {
    Gae.checkUnitInterval("gamma", gamma);
    Gae.checkUnitInterval("lambda", lambda);
    if (!(groupEpsilon > 0)) {
      throw new IllegalArgumentException("group epsilon must be > 0 but was " + groupEpsilon);
    }
    if (maxResponseLength < 1) {
      throw new IllegalArgumentException("max response length must be >= 1 but was "
          + maxResponseLength);
    }
  }

  /** PAPER.md's trlx-like γ = 1, λ = 0.95, veRL's ε = 1e-6. */
  public static MethodOptions defaults(int maxResponseLength) {
    return new MethodOptions(1, 0.95, GroupNormalized.DEFAULT_EPSILON, maxResponseLength);
  }
}
