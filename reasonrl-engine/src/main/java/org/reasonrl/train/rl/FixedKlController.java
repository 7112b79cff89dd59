package org.reasonrl.train.rl;

/** A KL coefficient that never changes. */
public record FixedKlController(double coefficient) implements KlController {

  public FixedKlController {
    if (!(coefficient >= 0) || Double.isInfinite(coefficient)) {
      throw new IllegalArgumentException("kl coefficient must be >= 0 but was " + coefficient);
    }
  }

  @Override
  public KlController update(double observedKl, long samples) {
    return this;
  }
}
