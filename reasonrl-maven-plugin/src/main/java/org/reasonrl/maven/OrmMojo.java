package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.OrmSpec;
import org.reasonrl.algo.OrmTraining;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Trains an outcome reward model (Cobbe et al. 2021): samples K solutions per training question
 * from {@code checkpoint}, labels them by final-answer correctness, fine-tunes the policy with a
 * fresh reward head to predict the label at every solution token, and reports held-out accuracy,
 * AUC, Brier and rerank@K against maj@K and pass@K. The ORM lands in {@code <output>/orm}, ready
 * for {@code reasonrl:eval -DormCheckpoint=...}. Rerunning with the same output resumes.
 */
@Mojo(name = "orm", threadSafe = true, requiresProject = false)
public class OrmMojo extends AbstractReasonRlMojo {

  /** The policy (or SFT) checkpoint: writes the samples and initialises the ORM's backbone. */
  @Parameter(property = "reasonrl.checkpoint", required = true)
  private File checkpoint;

  /** {@code synthetic} (the embedded benchmark), {@code gsm8k} or {@code svamp}. */
  @Parameter(property = "reasonrl.dataset", defaultValue = "synthetic")
  private String dataset;

  /** The dataset's file or directory (required for gsm8k and svamp). */
  @Parameter(property = "reasonrl.datasetPath")
  private File datasetPath;

  /** The split whose questions are sampled. */
  @Parameter(property = "reasonrl.split", defaultValue = "train")
  private String split;

  /** Use the first N questions only (0 = all). */
  @Parameter(property = "reasonrl.maxProblems", defaultValue = "0")
  private int maxProblems;

  /** K: solutions sampled per question. */
  @Parameter(property = "reasonrl.k", defaultValue = "8")
  private int k;

  /** Sampling temperature. */
  @Parameter(property = "reasonrl.temperature", defaultValue = "0.7")
  private double temperature;

  /** Generation budget per solution. */
  @Parameter(property = "reasonrl.maxNewTokens", defaultValue = "160")
  private int maxNewTokens;

  /** Rows decoded (and scored) together. */
  @Parameter(property = "reasonrl.samplingBatch", defaultValue = "64")
  private int samplingBatch;

  /** Share of questions held out for validation (split by question). */
  @Parameter(property = "reasonrl.heldOutShare", defaultValue = "0.1")
  private double heldOutShare;

  /** Optimizer steps. */
  @Parameter(property = "reasonrl.steps", defaultValue = "300")
  private long steps;

  /** Solutions per optimizer step. */
  @Parameter(property = "reasonrl.batchSize", defaultValue = "32")
  private int batchSize;

  /** Solutions per forward pass (gradient accumulation). */
  @Parameter(property = "reasonrl.microBatchSize", defaultValue = "16")
  private int microBatchSize;

  /** Peak learning rate (linear warm-up, cosine decay to a tenth). */
  @Parameter(property = "reasonrl.learningRate", defaultValue = "1e-4")
  private double learningRate;

  @Parameter(property = "reasonrl.warmupSteps", defaultValue = "20")
  private long warmupSteps;

  @Parameter(property = "reasonrl.weightDecay", defaultValue = "0.01")
  private double weightDecay;

  /** Global gradient-norm clip (0 = off). */
  @Parameter(property = "reasonrl.maxGradNorm", defaultValue = "1.0")
  private double maxGradNorm;

  /** Weight the classes so each carries half the loss. */
  @Parameter(property = "reasonrl.balanceClasses", defaultValue = "false")
  private boolean balanceClasses;

  @Parameter(property = "reasonrl.logEvery", defaultValue = "10")
  private int logEvery;

  @Parameter(property = "reasonrl.checkpointEvery", defaultValue = "50")
  private int checkpointEvery;

  /** The run directory (resumable; locked while the goal runs). */
  @Parameter(property = "reasonrl.output", defaultValue = "${project.build.directory}/reasonrl/orm")
  private File output;

  @Override
  protected void run(RuntimeInfo runtime) {
    OrmSpec spec = new OrmSpec(checkpoint.toPath(),
        new DatasetSpec(dataset, datasetPath == null ? null : datasetPath.toPath(), split, true),
        maxProblems, k, temperature, maxNewTokens, samplingBatch, heldOutShare, steps,
        batchSize, microBatchSize, learningRate, warmupSteps, weightDecay, maxGradNorm,
        balanceClasses, logEvery, checkpointEvery, seed(), output.toPath());
    new OrmTraining(spec).run(logSink());
  }
}
