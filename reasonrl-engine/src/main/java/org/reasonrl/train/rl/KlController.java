package org.reasonrl.train.rl;

/**
 * The coefficient β of the KL-in-reward penalty. Immutable: {@link #update} returns the
 * controller for the next batch, so a checkpoint only needs {@link #coefficient()}.
 */
public interface KlController {

  double coefficient();

  /**
   * The controller after a rollout batch.
   *
   * @param observedKl the batch's KL to the reference (in the controller's units, e.g. per
   *     sequence: {@link TokenRewards#meanSequenceKl})
   * @param samples sequences in the batch (trlx's {@code n_steps})
   */
  KlController update(double observedKl, long samples);

  /** A constant β (PAPER.md: ≈ 0.05). */
  static KlController fixed(double coefficient) {
    return new FixedKlController(coefficient);
  }

  /** Ziegler et al.'s proportional controller (trlx, veRL). */
  static KlController adaptive(double initial, double target, double horizon) {
    return new AdaptiveKlController(initial, target, horizon);
  }
}
