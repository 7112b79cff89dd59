package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.Pretrain;
import org.reasonrl.algo.PretrainSpec;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Pretrains the embedded base model from scratch on the generated corpus (language and
 * arithmetic, no worked solutions). Writes {@code <output>/model}: a Hugging Face checkpoint with
 * its tokenizer.json, the input of {@code sft}, {@code ei} or {@code eval}. Rerunning with the same
 * output resumes.
 *
 * <p>The one training goal without a policy to read or sample from, so it sits beside the
 * policy family rather than under it, and declares the optimisation parameters of
 * {@link AbstractTrainingMojo} itself (same names, properties and meaning): a Mojo has one
 * superclass, and the alternatives would list {@code checkpoint}, {@code dataset} and the sampling
 * parameters on a goal that ignores them.
 */
@Mojo(name = "pretrain", threadSafe = true, requiresProject = false)
public class PretrainMojo extends AbstractRunMojo {

  /** Corpus documents generated. */
  @Parameter(property = "reasonrl.documents", defaultValue = "20000")
  private int documents;

  /** Model width; 0 keeps the embedded default (128, 4 layers, about 0.8M parameters). */
  @Parameter(property = "reasonrl.hiddenSize", defaultValue = "0")
  private int hiddenSize;

  /** MLP width (used when hiddenSize is set). */
  @Parameter(property = "reasonrl.intermediateSize", defaultValue = "344")
  private int intermediateSize;

  /** Decoder layers (used when hiddenSize is set). */
  @Parameter(property = "reasonrl.layers", defaultValue = "4")
  private int layers;

  /** Attention heads (used when hiddenSize is set). */
  @Parameter(property = "reasonrl.heads", defaultValue = "4")
  private int heads;

  /** Key/value heads (used when hiddenSize is set). */
  @Parameter(property = "reasonrl.kvHeads", defaultValue = "2")
  private int kvHeads;

  /** Context length (used when hiddenSize is set). */
  @Parameter(property = "reasonrl.maxPositions", defaultValue = "256")
  private int maxPositions;

  /** Optimizer steps (default 1500). */
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

  /** Checkpoint every this many steps. */
  @Parameter(property = "reasonrl.checkpointEvery")
  private Integer checkpointEvery;

  PretrainSpec spec() {
    PretrainSpec defaults = PretrainSpec.defaults(output());
    LlamaConfig model = hiddenSize == 0 ? null : PretrainSpec.embeddedModel(hiddenSize,
        intermediateSize, layers, heads, kvHeads, maxPositions);
    return new PretrainSpec(output(), model, documents,
        AbstractTrainingMojo.override(defaults.optimization(), steps, batchSize, microBatchSize,
            learningRate, warmupSteps, weightDecay, maxGradNorm, logEvery, checkpointEvery),
        seed());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    Pretrain.Result result = new Pretrain(spec()).run(logSink());
    getLog().info("Pretrained model: " + result.model());
  }
}
