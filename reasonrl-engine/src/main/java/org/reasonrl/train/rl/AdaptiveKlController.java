package org.reasonrl.train.rl;

/**
 * Ziegler et al. (2019)'s adaptive KL coefficient, as trlx and veRL implement it: after each
 * batch, {@code β ← β · (1 + clip(KL/target − 1, −0.2, 0.2) · samples/horizon)} — β grows while
 * the KL is above target and shrinks below it, by at most 20% per {@code horizon} samples.
 *
 * @param coefficient the current β
 * @param target the KL the controller steers to (trlx: 6, per sequence)
 * @param horizon samples over which the error is corrected (trlx: 10000)
 */
public record AdaptiveKlController(double coefficient, double target, double horizon)
    implements KlController {

  /** The proportional error is clipped to ±this. */
  public static final double MAX_ERROR = 0.2;

  public AdaptiveKlController {
    if (!(coefficient >= 0) || Double.isInfinite(coefficient)) {
      throw new IllegalArgumentException("kl coefficient must be >= 0 but was " + coefficient);
    }
    if (!(target > 0) || Double.isInfinite(target)) {
      throw new IllegalArgumentException("kl target must be > 0 but was " + target);
    }
    if (!(horizon > 0) || Double.isInfinite(horizon)) {
      throw new IllegalArgumentException("kl horizon must be > 0 but was " + horizon);
    }
  }

  @Override
  public KlController update(double observedKl, long samples) {
    if (!Double.isFinite(observedKl)) {
      throw new IllegalArgumentException("observed KL must be finite but was " + observedKl);
    }
    double error = Math.max(-MAX_ERROR, Math.min(MAX_ERROR, observedKl / target - 1));
    return new AdaptiveKlController(coefficient * (1 + error * samples / horizon), target,
        horizon);
  }
}
