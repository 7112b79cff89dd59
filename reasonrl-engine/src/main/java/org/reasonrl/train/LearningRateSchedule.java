package org.reasonrl.train;

import java.util.Locale;

/**
 * Linear warm-up to {@code peak}, then decay to {@code floor} over the remaining steps.
 *
 * <p>Steps are 0-based optimizer steps. During warm-up ({@code step < warmupSteps}) the rate is
 * {@code peak·(step+1)/warmupSteps}, so the first step already moves. After it, with progress
 * {@code p = (step − warmupSteps)/(totalSteps − warmupSteps)} in [0, 1), the rate is
 * {@code floor + (peak − floor)·f(p)} with {@code f = (1 + cos πp)/2} (cosine), {@code 1 − p}
 * (linear) or {@code 1} (constant). Steps at or past {@code totalSteps} get {@code floor}.
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, Decay decay,
    double floor) {

  /** The shape of the decay after warm-up. */
  public enum Decay {
    COSINE, LINEAR, CONSTANT;

    /** Parses {@code cosine}, {@code linear} or {@code constant} (any case). */
    public static Decay parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "learning-rate decay must be cosine, linear or constant but was '" + name + "'");
      }
    }
  }

  public LearningRateSchedule {
    if (!(peak > 0) || !(floor >= 0) || floor > peak) {
      throw new IllegalArgumentException("learning rate needs peak > 0 and 0 <= floor <= peak but"
          + " got peak " + peak + ", floor " + floor);
    }
    if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("learning rate needs totalSteps >= 1 and 0 <= warmupSteps"
          + " <= totalSteps but got warmup " + warmupSteps + ", total " + totalSteps);
    }
    if (decay == null) {
      throw new IllegalArgumentException("learning-rate decay must be given");
    }
  }

  /** A constant rate. */
  public static LearningRateSchedule constant(double rate, long totalSteps) {
    return new LearningRateSchedule(rate, 0, totalSteps, Decay.CONSTANT, rate);
  }

  /** The learning rate of 0-based optimizer step {@code step}. */
  public double at(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0 but was " + step);
    }
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (step >= totalSteps) {
      return decay == Decay.CONSTANT ? peak : floor;
    }
    double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    double factor = switch (decay) {
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * progress));
      case LINEAR -> 1 - progress;
      case CONSTANT -> 1;
    };
    return floor + (peak - floor) * factor;
  }
}
