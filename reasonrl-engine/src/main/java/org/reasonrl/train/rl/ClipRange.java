package org.reasonrl.train.rl;

/**
 * Where PPO's probability ratio r is clipped: to [1 − low, 1 + high]. DAPO's "clip-higher" sets
 * {@code high > low} (e.g. 0.2 / 0.28) so unlikely tokens with positive advantage can still grow.
 * Optionally dual-clip (Ye et al. 2020, veRL's {@code clip_ratio_c}): for negative advantages the
 * loss is also capped at {@code −A·dualClip}, so a huge ratio cannot dominate.
 *
 * @param low ε_low in (0, 1)
 * @param high ε_high > 0
 * @param dualClip c > 1, or {@code +∞} for no dual clip
 */
public record ClipRange(double low, double high, double dualClip) {

  public ClipRange {
    if (!(low > 0 && low < 1)) {
      throw new IllegalArgumentException("clip (low) must be in (0, 1) but was " + low);
    }
    if (!(high > 0) || Double.isInfinite(high)) {
      throw new IllegalArgumentException("clip (high) must be > 0 but was " + high);
    }
    if (!(dualClip > 1)) {
      throw new IllegalArgumentException("dual clip must be > 1 (or infinite: off) but was "
          + dualClip);
    }
  }

  /** [1 − ε, 1 + ε], PPO's (PAPER.md: 0.2). */
  public static ClipRange symmetric(double epsilon) {
    return new ClipRange(epsilon, epsilon, Double.POSITIVE_INFINITY);
  }

  /** [1 − low, 1 + high], DAPO's clip-higher. */
  public static ClipRange asymmetric(double low, double high) {
    return new ClipRange(low, high, Double.POSITIVE_INFINITY);
  }

  public ClipRange withDualClip(double c) {
    return new ClipRange(low, high, c);
  }

  public boolean hasDualClip() {
    return Double.isFinite(dualClip);
  }
}
