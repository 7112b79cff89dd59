package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import org.reasonrl.model.Scalars;

/**
 * Per-token estimators of KL(p ‖ q) from the log-probabilities of a token sampled from p, with p
 * the policy and q the reference (Schulman, "Approximating KL divergence", 2020):
 * <ul>
 *   <li>k1 = log(p/q): unbiased, high variance, can be negative;</li>
 *   <li>k2 = ½·log²(p/q): biased (exact to second order for close p, q), non-negative;</li>
 *   <li>k3 = q/p − 1 − log(q/p): unbiased and non-negative (GRPO's KL loss).</li>
 * </ul>
 * Each is exactly 0 where the log-probabilities are equal. The same formulas on Java arrays
 * (KL in the reward, outside autograd) and on NDArrays (KL as a loss term, inside autograd).
 * As veRL, k3's log(q/p) is clamped to [−20, 20] before the exponential so a token the reference
 * all but rules out cannot overflow the loss.
 */
public enum KlEstimator {
  K1,
  K2,
  K3;

  /** The parameter that names an estimator, for error messages. */
  public static final String PARAMETER = "klEstimator";

  static final double K3_LOG_RATIO_BOUND = 20;

  /** The estimate for one token with log p = {@code logp} and log q = {@code logq}. */
  public double of(double logp, double logq) {
    double logRatio = logp - logq;
    return switch (this) {
      case K1 -> logRatio;
      case K2 -> 0.5 * logRatio * logRatio;
      case K3 -> {
        double d = clamp(-logRatio);
        yield Math.expm1(d) - d;
      }
    };
  }

  /** Per token of one sequence. */
  public float[] of(float[] logp, float[] logq) {
    if (logp.length != logq.length) {
      throw new IllegalArgumentException(logp.length + " policy log-probs but " + logq.length
          + " reference log-probs");
    }
    float[] out = new float[logp.length];
    for (int t = 0; t < logp.length; t++) {
      out[t] = (float) of(logp[t], logq[t]);
    }
    return out;
  }

  /**
   * Element-wise on arrays of the same shape, differentiable in both (usually only {@code logp}
   * requires gradients; {@code logq} is the frozen reference).
   */
  public NDArray of(NDArray logp, NDArray logq) {
    return switch (this) {
      case K1 -> logp.sub(logq);
      case K2 -> Scalars.mul(logp.sub(logq).square(), 0.5);
      case K3 -> {
        // clip passes its bounds to libtorch by value: safe inside autograd (not a Scalars case).
        NDArray d = logq.sub(logp).clip(-K3_LOG_RATIO_BOUND, K3_LOG_RATIO_BOUND);
        yield d.exp().sub(d).sub(d.onesLike());
      }
    };
  }

  /** {@code k1}, {@code k2} or {@code k3} (case-insensitive). */
  public static KlEstimator named(String name) {
    for (KlEstimator estimator : values()) {
      if (estimator.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return estimator;
      }
    }
    throw new IllegalArgumentException("unknown KL estimator '" + name + "' (parameter "
        + PARAMETER + "); choose one of k1, k2, k3");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static double clamp(double logRatio) {
    return Math.max(-K3_LOG_RATIO_BOUND, Math.min(K3_LOG_RATIO_BOUND, logRatio));
  }
}
