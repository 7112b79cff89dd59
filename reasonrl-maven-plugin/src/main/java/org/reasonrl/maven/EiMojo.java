package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.EiFineTuning;
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
public class EiMojo extends AbstractOnPolicyMojo {

  /** Rounds n; 0 with {@code control=true} trains and evaluates only the compute-matched control. */
  @Parameter(property = "reasonrl.rounds", defaultValue = "2")
  private int rounds;

  /** Fine-tune π_i from π_{i-1} instead of restarting from π_0 (the paper's default). */
  @Parameter(property = "reasonrl.continueTraining", defaultValue = "false")
  private boolean continueTraining;

  /** The ORM score a sample needs to be kept. */
  @Parameter(property = "reasonrl.ormThreshold", defaultValue = "0.5")
  private double ormThreshold;

  /** Also train the compute-matched control (same steps on reference solutions only). */
  @Parameter(property = "reasonrl.control", defaultValue = "true")
  private boolean control;

  /**
   * Worked exemplars before each question when sampling (for a model without SFT, the paper's
   * prompted regime); kept solutions are trained and evaluated zero-shot. 0 = zero-shot.
   */
  @Parameter(property = "reasonrl.fewShot", defaultValue = "0")
  private int fewShot;

  /**
   * Train each round for this many epochs of its data (and the control for the same steps)
   * instead of a fixed step count; 0 = the fixed {@code steps} a round.
   */
  @Parameter(property = "reasonrl.fineTuneEpochs", defaultValue = "0")
  private double fineTuneEpochs;

  /** Add the sampled questions' reference solutions to each round's data (RFT-style arm). */
  @Parameter(property = "reasonrl.withReferences", defaultValue = "false")
  private boolean withReferences;

  /** Keep only samples that state their answer on a {@code #### N} line. */
  @Parameter(property = "reasonrl.strictFilter", defaultValue = "true")
  private boolean strictFilter;

  EiSpec spec() {
    EiSpec d = EiSpec.defaults(checkpoint(), output());
    RolloutSpec rollout = sampling(d.rollout());
    DatasetSpec train = dataset("train");
    return new EiSpec(checkpoint(), train, evalDataset(train), output(), rounds,
        maxQuestions(d.maxQuestions()), rollout, continueTraining, ormCheckpoint(), ormThreshold,
        optimization(d.optimization()),
        new EiFineTuning(fineTuneEpochs, withReferences, strictFilter), control, evalProblems(d.evalProblems()),
        evalSampling(d.eval(), rollout), fewShot, seed());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    ExpertIteration.Result result = new ExpertIteration(spec()).run(logSink());
    getLog().info("EI_" + result.rounds().size() + " model: " + result.finalModel());
  }
}
