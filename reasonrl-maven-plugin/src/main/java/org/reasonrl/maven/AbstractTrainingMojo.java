package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.train.Optimization;

/**
 * The optimisation parameters the supervised goals share. Each left unset takes the goal's own
 * measured default (see the goal's engine spec {@code defaults}).
 */
public abstract class AbstractTrainingMojo extends AbstractReasonRlMojo {

  /** Optimizer steps (for {@code ei}: per round; for {@code sft}: the most). */
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
    long s = steps != null ? steps : defaults.steps();
    int batch = batchSize != null ? batchSize : defaults.batchSize();
    int micro = microBatchSize != null ? microBatchSize : Math.min(batch,
        defaults.microBatchSize());
    return new Optimization(s, batch, micro,
        learningRate != null ? learningRate : defaults.learningRate(),
        warmupSteps != null ? warmupSteps : Math.min(defaults.warmupSteps(), s),
        weightDecay != null ? weightDecay : defaults.weightDecay(),
        maxGradNorm != null ? maxGradNorm : defaults.maxGradNorm(),
        logEvery != null ? logEvery : defaults.logEvery(),
        checkpointEvery != null ? checkpointEvery : defaults.checkpointEvery());
  }

  /** {@code synthetic} (embedded, generated in memory unless a path is given), gsm8k or svamp. */
  protected static DatasetSpec dataset(String name, File path, String split) {
    return new DatasetSpec(name, path == null ? null : path.toPath(), split, true);
  }
}
