package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.Pretrain;
import org.reasonrl.algo.PretrainSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Pretrains the embedded base model from scratch on the generated corpus (language and
 * arithmetic, no worked solutions). Writes {@code <output>/model}: a Hugging Face checkpoint with
 * its tokenizer.json, the input of {@code sft}, {@code ei} or {@code eval}. Rerunning with the same
 * output resumes.
 */
@Mojo(name = "pretrain", threadSafe = true, requiresProject = false)
public class PretrainMojo extends AbstractTrainingMojo {

  /** The run directory. */
  @Parameter(property = "reasonrl.output",
      defaultValue = "${project.build.directory}/reasonrl/pretrain")
  private File output;

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

  @Override
  protected void run(RuntimeInfo runtime) {
    PretrainSpec defaults = PretrainSpec.defaults(output.toPath());
    LlamaConfig model = null;
    if (hiddenSize > 0) {
      int vocab = SyntheticBenchmark.vocabulary().size();
      model = LlamaConfig.of(hiddenSize, intermediateSize, layers, heads, kvHeads, vocab,
          maxPositions, false);
    }
    Pretrain.Result result = new Pretrain(new PretrainSpec(output.toPath(), model, documents,
        optimization(defaults.optimization()), seed())).run(logSink());
    getLog().info("Pretrained model: " + result.model());
  }
}
