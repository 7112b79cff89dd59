package org.reasonrl.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.EiSpec;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;

/**
 * Goals that learn from the policy's own samples and evaluate it along the way ({@code ei},
 * {@code ppo}): the training questions they sample for, the outcome reward model they may use,
 * and the evaluation of each round or iteration. Each parameter left unset takes the goal's
 * default (its engine spec's {@code defaults}).
 */
public abstract class AbstractOnPolicyMojo extends AbstractTrainingMojo {

  /** Sample for the first N training questions (0 = all; ei: 2000, ppo: all). */
  @Parameter(property = "reasonrl.maxQuestions")
  private Integer maxQuestions;

  /**
   * An outcome reward model ({@code reasonrl:orm}'s): for {@code ei} the filter instead of the
   * gold answer (ORM EI), for {@code ppo} the scorer of the orm-sparse and orm-dense rewards.
   */
  @Parameter(property = "reasonrl.ormCheckpoint")
  private File ormCheckpoint;

  /** Evaluated on its test split. Default: the training dataset. */
  @Parameter(property = "reasonrl.evalDataset")
  private String evalDataset;

  /** The eval dataset's file or directory. Default: the training dataset's, if the same one. */
  @Parameter(property = "reasonrl.evalDatasetPath")
  private File evalDatasetPath;

  /** Evaluate on the first N eval problems (1000; 0 = all). */
  @Parameter(property = "reasonrl.evalProblems")
  private Integer evalProblems;

  /** Samples per eval problem for maj@K and pass@K (4). */
  @Parameter(property = "reasonrl.evalK")
  private Integer evalK;

  /** Temperature of the eval samples (0.7). */
  @Parameter(property = "reasonrl.evalTemperature")
  private Double evalTemperature;

  protected int maxQuestions(int goalDefault) {
    return orDefault(maxQuestions, goalDefault);
  }

  protected Path ormCheckpoint() {
    return path(ormCheckpoint);
  }

  protected int evalProblems(int goalDefault) {
    return orDefault(evalProblems, goalDefault);
  }

  /** The eval dataset from {@code evalDataset}/{@code evalDatasetPath} and the training one. */
  protected DatasetSpec evalDataset(DatasetSpec training) {
    return EiSpec.evalDataset(training, evalDataset, path(evalDatasetPath));
  }

  /**
   * Evaluation sampling: {@code evalK} samples at {@code evalTemperature} (else the goal's),
   * with the goal's top-p and the rollouts' budget and batch.
   */
  protected RolloutSpec evalSampling(RolloutSpec goalDefault, RolloutSpec rollout) {
    return new RolloutSpec(orDefault(evalK, goalDefault.k()),
        orDefault(evalTemperature, goalDefault.temperature()), goalDefault.topP(),
        rollout.maxNewTokens(), rollout.batchSize());
  }

  /** {@code value} when set, else the goal's default. */
  protected static <T> T orDefault(T value, T goalDefault) {
    return value != null ? value : goalDefault;
  }
}
