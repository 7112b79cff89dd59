package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.Sft;
import org.reasonrl.algo.SftSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Supervised fine-tuning on reference solutions with a held-out validation split, validation
 * maj@1 / pass@K over training ({@code validation.jsonl}), early stopping, and the best model by
 * validation maj@1 in {@code <output>/best} (the input of {@code ei}, {@code orm}, {@code eval}).
 * K ({@code k}) is the number of samples per validation problem. Rerunning with the same output
 * resumes.
 */
@Mojo(name = "sft", threadSafe = true, requiresProject = false)
public class SftMojo extends AbstractTrainingMojo {

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

  /**
   * The former name of {@code k} for this goal (samples per validation problem), still read
   * when {@code k} is unset.
   *
   * @deprecated use {@code k}, the name every sampling goal shares
   */
  @Deprecated
  @Parameter(property = "reasonrl.passK")
  private Integer passK;

  SftSpec spec() {
    SftSpec d = SftSpec.defaults(checkpoint(), output());
    RolloutSpec v = d.validation();
    RolloutSpec validation = sampling(passK == null ? v
        : new RolloutSpec(passK, v.temperature(), v.topP(), v.maxNewTokens(), v.batchSize()));
    return new SftSpec(checkpoint(), dataset("train"), output(), maxTrainProblems,
        validationProblems, optimization(d.optimization()), evalEvery, patience, validation,
        seed());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    Sft.Result result = new Sft(spec()).run(logSink());
    getLog().info(String.format("Best SFT model (validation maj@1 %.3f, step %d): %s",
        result.bestMaj1(), result.bestStep(), result.best()));
  }
}
