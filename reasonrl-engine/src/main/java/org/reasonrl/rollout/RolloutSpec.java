package org.reasonrl.rollout;

/**
 * How a job samples its rollouts: K per question and the sampling settings, spelled the same way
 * in every spec ({@code k}, {@code temperature}, {@code topP}, {@code maxNewTokens},
 * {@code batchSize}).
 *
 * @param k samples per question
 * @param temperature sampling temperature (> 0: rollouts are sampled, not greedy)
 * @param topP nucleus mass in (0, 1]
 * @param maxNewTokens generation budget per solution
 * @param batchSize rows decoded together (does not change the samples: rows are seeded apart)
 */
public record RolloutSpec(int k, double temperature, double topP, int maxNewTokens,
    int batchSize) {

  public RolloutSpec {
    if (k < 1) {
      throw new IllegalArgumentException("K (samples per question, parameter k) must be >= 1"
          + " but was " + k);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0 but was " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1 but was " + maxNewTokens);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("samplingBatch must be >= 1 but was " + batchSize);
    }
  }

  /** K samples at a temperature, no nucleus cut. */
  public static RolloutSpec of(int k, double temperature, int maxNewTokens, int batchSize) {
    return new RolloutSpec(k, temperature, 1.0, maxNewTokens, batchSize);
  }

  /** The sampler's options: these settings, stopping after the answer line. */
  public SamplingOptions sampling() {
    return new SamplingOptions(temperature, topP, maxNewTokens, batchSize,
        StopCondition.ANSWER_LINE);
  }
}
