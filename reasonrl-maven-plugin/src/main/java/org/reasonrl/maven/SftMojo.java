package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.Sft;
import org.reasonrl.algo.SftSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Supervised fine-tuning on reference solutions with a held-out validation split, validation
 * maj@1 / pass@K over training ({@code validation.jsonl}), early stopping, and the best model by
 * validation maj@1 in {@code <output>/best} (the input of {@code ei}, {@code orm}, {@code eval}).
 * Rerunning with the same output resumes.
 */
@Mojo(name = "sft", threadSafe = true, requiresProject = false)
public class SftMojo extends AbstractTrainingMojo {

  /** The model to fine-tune: a Hugging Face checkpoint directory with tokenizer.json. */
  @Parameter(property = "reasonrl.checkpoint", required = true)
  private File checkpoint;

  /** {@code synthetic} (embedded), {@code gsm8k} or {@code svamp}. */
  @Parameter(property = "reasonrl.dataset", defaultValue = "synthetic")
  private String dataset;

  /** The dataset's file or directory (required for gsm8k). */
  @Parameter(property = "reasonrl.datasetPath")
  private File datasetPath;

  /** The run directory. */
  @Parameter(property = "reasonrl.output", defaultValue = "${project.build.directory}/reasonrl/sft")
  private File output;

  /** Use the first N training problems only (0 = all). */
  @Parameter(property = "reasonrl.maxTrainProblems", defaultValue = "0")
  private int maxTrainProblems;

  /** Training problems held out for validation. */
  @Parameter(property = "reasonrl.validationProblems", defaultValue = "300")
  private int validationProblems;

  /** Validate (and checkpoint) every this many steps. */
  @Parameter(property = "reasonrl.evalEvery", defaultValue = "250")
  private int evalEvery;

  /** Stop after this many validations without a better maj@1 (0 = never). */
  @Parameter(property = "reasonrl.patience", defaultValue = "3")
  private int patience;

  /** Samples per validation problem for pass@K and maj@K. */
  @Parameter(property = "reasonrl.passK", defaultValue = "4")
  private int passK;

  /** Temperature of the validation samples. */
  @Parameter(property = "reasonrl.temperature", defaultValue = "0.7")
  private double temperature;

  /** Generation budget per solution. */
  @Parameter(property = "reasonrl.maxNewTokens", defaultValue = "120")
  private int maxNewTokens;

  /** Rows decoded together. */
  @Parameter(property = "reasonrl.samplingBatch", defaultValue = "128")
  private int samplingBatch;

  @Override
  protected void run(RuntimeInfo runtime) {
    SftSpec defaults = SftSpec.defaults(checkpoint.toPath(), output.toPath());
    SftSpec spec = new SftSpec(checkpoint.toPath(), dataset(dataset, datasetPath, "train"),
        output.toPath(), maxTrainProblems, validationProblems,
        optimization(defaults.optimization()), evalEvery, patience, passK, temperature,
        maxNewTokens, samplingBatch, seed());
    Sft.Result result = new Sft(spec).run(logSink());
    getLog().info(String.format("Best SFT model (validation maj@1 %.3f, step %d): %s",
        result.bestMaj1(), result.bestStep(), result.best()));
  }
}
