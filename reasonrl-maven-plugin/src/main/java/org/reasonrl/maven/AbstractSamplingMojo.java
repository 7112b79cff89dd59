package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.rollout.RolloutSpec;

/**
 * Goals that sample solutions from the policy. A parameter left unset takes the goal's default,
 * which is its engine spec's ({@code defaults}): K 4 for sft, ei and ppo, 8 for orm and eval;
 * temperature 0.7; 120 new tokens and 128 rows for sft, ei and ppo, 160 and 64 for orm and eval.
 */
public abstract class AbstractSamplingMojo extends AbstractPolicyMojo {

  /**
   * K, samples per question: per validation problem ({@code sft}, for pass@K and maj@K), per
   * training question and round ({@code ei}), per training question ({@code orm}, also the K of
   * rerank@K), per training question and iteration ({@code ppo}, a group of the group methods),
   * of maj@K, rerank@K and pass@K ({@code eval}).
   */
  @Parameter(property = "reasonrl.k")
  private Integer k;

  /** Sampling temperature. */
  @Parameter(property = "reasonrl.temperature")
  private Double temperature;

  /** Generation budget per solution, in tokens. */
  @Parameter(property = "reasonrl.maxNewTokens")
  private Integer maxNewTokens;

  /** Rows decoded (and, for orm, scored) together. */
  @Parameter(property = "reasonrl.samplingBatch")
  private Integer samplingBatch;

  /** Sampling settings: the goal's defaults with every parameter the user set applied. */
  protected RolloutSpec sampling(RolloutSpec goalDefaults) {
    return new RolloutSpec(k != null ? k : goalDefaults.k(),
        temperature != null ? temperature : goalDefaults.temperature(), goalDefaults.topP(),
        maxNewTokens != null ? maxNewTokens : goalDefaults.maxNewTokens(),
        samplingBatch != null ? samplingBatch : goalDefaults.batchSize());
  }
}
