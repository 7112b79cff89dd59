package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.train.Optimization;

/**
 * Goals that fine-tune a policy. Each optimisation parameter left unset takes the goal's default
 * (its engine spec's {@code defaults}); the rules of {@link Optimization} then apply (a default
 * micro-batch or warm-up larger than the batch or the steps set here is lowered to them; a
 * micro-batch the user set larger than the batch is refused). A micro-batch that does not divide
 * the batch is accepted: the last one is smaller, and the gradient is the batch's mean all the
 * same (summed losses over the whole batch's count).
 */
public abstract class AbstractTrainingMojo extends AbstractSamplingMojo {

  /**
   * Optimizer steps (for {@code ei}: per round; for {@code sft}: the most; {@code ppo} takes one
   * schedule step per iteration instead).
   */
  @Parameter(property = "reasonrl.steps")
  private Long steps;

  /** Sequences per optimizer step. */
  @Parameter(property = "reasonrl.batchSize")
  private Integer batchSize;

  /** Sequences per forward/backward pass; gradients are accumulated up to batchSize. */
  @Parameter(property = "reasonrl.microBatchSize")
  private Integer microBatchSize;

  /** Peak learning rate (linear warm-up, cosine decay to 10%). */
  @Parameter(property = "reasonrl.learningRate")
  private Double learningRate;

  /** Warm-up steps. */
  @Parameter(property = "reasonrl.warmupSteps")
  private Long warmupSteps;

  /** AdamW weight decay. */
  @Parameter(property = "reasonrl.weightDecay")
  private Double weightDecay;

  /** Global gradient-norm clip; 0 disables it. */
  @Parameter(property = "reasonrl.maxGradNorm")
  private Double maxGradNorm;

  /** Append a metrics.jsonl record every this many steps. */
  @Parameter(property = "reasonrl.logEvery")
  private Integer logEvery;

  /** Checkpoint every this many steps (sft checkpoints at each validation instead). */
  @Parameter(property = "reasonrl.checkpointEvery")
  private Integer checkpointEvery;

  /** The goal's defaults with every parameter the user set applied. */
  protected Optimization optimization(Optimization defaults) {
    return override(defaults, steps, batchSize, microBatchSize, learningRate, warmupSteps,
        weightDecay, maxGradNorm, logEvery, checkpointEvery);
  }

  /** {@code defaults} with each non-null value in its place ({@code pretrain} shares it). */
  static Optimization override(Optimization defaults, Long steps, Integer batchSize,
      Integer microBatchSize, Double learningRate, Long warmupSteps, Double weightDecay,
      Double maxGradNorm, Integer logEvery, Integer checkpointEvery) {
    int batch = batchSize != null ? batchSize : defaults.batchSize();
    if (microBatchSize != null && microBatchSize > batch) {
      // Only a default micro-batch is lowered to the batch; one the user set means what it says.
      throw new IllegalArgumentException("microBatchSize (" + microBatchSize + ") must be <="
          + " batchSize (" + batch + (batchSize == null ? ", the goal's default" : "") + ")");
    }
    return new Optimization(steps != null ? steps : defaults.steps(),
        batchSize != null ? batchSize : defaults.batchSize(),
        microBatchSize != null ? microBatchSize : defaults.microBatchSize(),
        learningRate != null ? learningRate : defaults.learningRate(),
        warmupSteps != null ? warmupSteps : defaults.warmupSteps(),
        weightDecay != null ? weightDecay : defaults.weightDecay(),
        maxGradNorm != null ? maxGradNorm : defaults.maxGradNorm(),
        logEvery != null ? logEvery : defaults.logEvery(),
        checkpointEvery != null ? checkpointEvery : defaults.checkpointEvery(),
        defaults.adamBeta1(), defaults.adamBeta2());
  }
}
