package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Evaluates a checkpoint: maj@1 (greedy), maj@K, pass@K (unbiased, from n ≥ K samples) and,
 * with an outcome reward model, rerank@K on the same samples, each with a bootstrap 95%
 * interval. Writes {@code eval.json} and {@code samples.jsonl} into {@code output}.
 */
@Mojo(name = "eval", threadSafe = true, requiresProject = false)
public class EvalMojo extends AbstractReasonRlMojo {

  /** The policy: a Hugging Face checkpoint directory with its tokenizer.json. */
  @Parameter(property = "reasonrl.checkpoint", required = true)
  private File checkpoint;

  /** {@code synthetic} (the embedded benchmark), {@code gsm8k} or {@code svamp}. */
  @Parameter(property = "reasonrl.dataset", defaultValue = "synthetic")
  private String dataset;

  /** The dataset's file, or a directory holding {@code <split>.jsonl} / {@code SVAMP.json}. */
  @Parameter(property = "reasonrl.datasetPath")
  private File datasetPath;

  /** {@code test} or {@code train}. */
  @Parameter(property = "reasonrl.split", defaultValue = "test")
  private String split;

  /** K of maj@K, rerank@K and pass@K. */
  @Parameter(property = "reasonrl.k", defaultValue = "8")
  private int k;

  /** Samples drawn per problem (n ≥ K; 0 means n = K). */
  @Parameter(property = "reasonrl.samples", defaultValue = "0")
  private int samples;

  /** Sampling temperature of the K samples. */
  @Parameter(property = "reasonrl.temperature", defaultValue = "0.7")
  private double temperature;

  /** Nucleus mass of the K samples (1 = no cut). */
  @Parameter(property = "reasonrl.topP", defaultValue = "1.0")
  private double topP;

  /** Generation budget per solution, in tokens. */
  @Parameter(property = "reasonrl.maxNewTokens", defaultValue = "160")
  private int maxNewTokens;

  /** Evaluate the first N problems only (0 = all). */
  @Parameter(property = "reasonrl.maxProblems", defaultValue = "0")
  private int maxProblems;

  /** Worked exemplars before each question (0 = zero-shot, for fine-tuned models). */
  @Parameter(property = "reasonrl.fewShot", defaultValue = "0")
  private int fewShot;

  /** An outcome reward model checkpoint (from {@code reasonrl:orm}) for rerank@K. */
  @Parameter(property = "reasonrl.ormCheckpoint")
  private File ormCheckpoint;

  /** Rows decoded together. */
  @Parameter(property = "reasonrl.samplingBatch", defaultValue = "64")
  private int samplingBatch;

  /** Also decode greedily for maj@1. */
  @Parameter(property = "reasonrl.greedy", defaultValue = "true")
  private boolean greedy;

  /** Bootstrap resamples for the 95% intervals. */
  @Parameter(property = "reasonrl.bootstrapResamples", defaultValue = "1000")
  private int bootstrapResamples;

  /** Stop at the first malformed data record (true) or skip and count them (false). */
  @Parameter(property = "reasonrl.failOnBadRecord", defaultValue = "true")
  private boolean failOnBadRecord;

  /** Where eval.json and samples.jsonl go. */
  @Parameter(property = "reasonrl.output", defaultValue = "${project.build.directory}/reasonrl/eval")
  private File output;

  @Override
  protected void run(RuntimeInfo runtime) {
    EvalOptions options = new EvalOptions(k, samples == 0 ? k : samples, temperature, topP,
        maxNewTokens, samplingBatch, greedy, seed(), bootstrapResamples);
    DatasetSpec data = new DatasetSpec(dataset, datasetPath == null ? null : datasetPath.toPath(), split,
        failOnBadRecord);
    new Evaluation(new EvalSpec(checkpoint.toPath(), data, maxProblems, fewShot,
        ormCheckpoint == null ? null : ormCheckpoint.toPath(), options, output.toPath()))
        .run(logSink());
  }
}
