package org.reasonrl.eval;

import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.rollout.StopCondition;

/**
 * How a policy is evaluated.
 *
 * @param k samples per problem for maj@K, rerank@K and pass@K
 * @param samples samples drawn per problem (n >= k; pass@K's unbiased estimator uses all n)
 * @param temperature sampling temperature for the K samples
 * @param topP nucleus mass for the K samples
 * @param maxNewTokens generation budget per solution
 * @param batchSize rows decoded together (the goals' {@code samplingBatch})
 * @param greedy also decode greedily for maj@1
 * @param seed sampling and bootstrap seed
 * @param bootstrapResamples resamples for the 95% intervals
 */
public record EvalOptions(int k, int samples, double temperature, double topP, int maxNewTokens,
    int batchSize, boolean greedy, long seed, int bootstrapResamples) {

  public EvalOptions {
    if (k < 1) {
      throw new IllegalArgumentException("K must be >= 1 but was " + k);
    }
    if (samples < k) {
      throw new IllegalArgumentException("samples per problem (" + samples
          + ") must be >= K (" + k + ")");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature for maj@K/pass@K samples must be > 0 but was "
          + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1 but was " + maxNewTokens);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("samplingBatch (rows decoded together) must be >= 1"
          + " but was " + batchSize);
    }
    if (bootstrapResamples < 1) {
      throw new IllegalArgumentException("bootstrapResamples must be >= 1");
    }
  }

  /** maj@1 plus the rollouts' K samples (n = K) with their settings. */
  public static EvalOptions of(RolloutSpec rollout, long seed, int bootstrapResamples) {
    return new EvalOptions(rollout.k(), rollout.k(), rollout.temperature(), rollout.topP(),
        rollout.maxNewTokens(), rollout.batchSize(), true, seed, bootstrapResamples);
  }

  /** maj@1 plus K samples at the given temperature, n = K, top-p 1, 1000 bootstrap resamples. */
  public static EvalOptions of(int k, double temperature, int maxNewTokens, int batchSize,
      long seed) {
    return new EvalOptions(k, k, temperature, 1.0, maxNewTokens, batchSize, true, seed,
        Bootstrap.DEFAULT_RESAMPLES);
  }

  SamplingOptions greedyDecoding() {
    return SamplingOptions.greedy(maxNewTokens, batchSize);
  }

  SamplingOptions sampling() {
    return new SamplingOptions(temperature, topP, maxNewTokens, batchSize,
        StopCondition.ANSWER_LINE);
  }
}
