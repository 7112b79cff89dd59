package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.EiSpec;
import org.reasonrl.algo.ExpertIteration;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Expert Iteration (EI_n): per round, sample K solutions per training question (train split of
 * {@code dataset}), keep the correct (or ORM-approved) distinct ones, fine-tune on their union,
 * evaluate; with a compute-matched continued-SFT control. Writes {@code round-<i>/model} per
 * round, {@code ei.jsonl} (per round: rollouts, |R_i|, |D_i|, metrics) and {@code result.json}.
 * Rerunning with the same output resumes at the first unfinished round.
 */
@Mojo(name = "ei", threadSafe = true, requiresProject = false)
public class EiMojo extends AbstractTrainingMojo {

  /** Evaluated each round, its test split. Default: the training dataset. */
  @Parameter(property = "reasonrl.evalDataset")
  private String evalDataset;

  /** The eval dataset's file or directory. Default: the training dataset's, if the same one. */
  @Parameter(property = "reasonrl.evalDatasetPath")
  private File evalDatasetPath;

  /** Rounds n; 0 with {@code control=true} trains and evaluates only the compute-matched control. */
  @Parameter(property = "reasonrl.rounds", defaultValue = "2")
  private int rounds;

  /** Sample for the first N training questions (0 = all). */
  @Parameter(property = "reasonrl.maxQuestions", defaultValue = "2000")
  private int maxQuestions;

  /** Fine-tune π_i from π_{i-1} instead of restarting from π_0 (the paper's default). */
  @Parameter(property = "reasonrl.continueTraining", defaultValue = "false")
  private boolean continueTraining;

  /** ORM EI: an outcome reward model filters the samples instead of the gold answer. */
  @Parameter(property = "reasonrl.ormCheckpoint")
  private File ormCheckpoint;

  /** The ORM score a sample needs to be kept. */
  @Parameter(property = "reasonrl.ormThreshold", defaultValue = "0.5")
  private double ormThreshold;

  /** Also train the compute-matched control (same steps on reference solutions only). */
  @Parameter(property = "reasonrl.control", defaultValue = "true")
  private boolean control;

  /** Evaluate on the first N eval problems (0 = all). */
  @Parameter(property = "reasonrl.evalProblems", defaultValue = "1000")
  private int evalProblems;

  /** Samples per eval problem for maj@K and pass@K. */
  @Parameter(property = "reasonrl.evalK", defaultValue = "4")
  private int evalK;

  /** Temperature of the eval samples. */
  @Parameter(property = "reasonrl.evalTemperature", defaultValue = "0.7")
  private double evalTemperature;

  /**
   * Worked exemplars before each question when sampling (for a model without SFT, the paper's
   * prompted regime); kept solutions are trained and evaluated zero-shot. 0 = zero-shot.
   */
  @Parameter(property = "reasonrl.fewShot", defaultValue = "0")
  private int fewShot;

  EiSpec spec() {
    EiSpec d = EiSpec.defaults(checkpoint(), output());
    RolloutSpec rollout = sampling(d.rollout());
    // Evaluation samples with its own K and temperature, and the rounds' budget and batch.
    RolloutSpec eval = new RolloutSpec(evalK, evalTemperature, rollout.topP(),
        rollout.maxNewTokens(), rollout.batchSize());
    DatasetSpec train = dataset("train");
    return new EiSpec(checkpoint(), train,
        EiSpec.evalDataset(train, evalDataset, path(evalDatasetPath)), output(), rounds,
        maxQuestions, rollout, continueTraining, path(ormCheckpoint), ormThreshold,
        optimization(d.optimization()), control, evalProblems, eval, fewShot, seed());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    ExpertIteration.Result result = new ExpertIteration(spec()).run(logSink());
    getLog().info("EI_" + result.rounds().size() + " model: " + result.finalModel());
  }
}
