package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.OrmSpec;
import org.reasonrl.algo.OrmTraining;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Trains an outcome reward model (Cobbe et al. 2021): samples K solutions per training question
 * from {@code checkpoint}, labels them by final-answer correctness, fine-tunes the policy with a
 * fresh reward head to predict the label at every solution token, and reports held-out accuracy,
 * AUC, Brier and rerank@K against maj@K and pass@K. The ORM lands in {@code <output>/orm}, ready
 * for {@code reasonrl:eval -DormCheckpoint=...}. Rerunning with the same output resumes.
 */
@Mojo(name = "orm", threadSafe = true, requiresProject = false)
public class OrmMojo extends AbstractTrainingMojo {

  /** The split whose questions are sampled. */
  @Parameter(property = "reasonrl.split", defaultValue = "train")
  private String split;

  /** Use the first N questions only (0 = all). */
  @Parameter(property = "reasonrl.maxProblems", defaultValue = "0")
  private int maxProblems;

  /** Share of questions held out for validation (split by question). */
  @Parameter(property = "reasonrl.heldOutShare", defaultValue = "0.1")
  private double heldOutShare;

  /** Weight the classes so each carries half the loss. */
  @Parameter(property = "reasonrl.balanceClasses", defaultValue = "false")
  private boolean balanceClasses;

  OrmSpec spec() {
    OrmSpec d = OrmSpec.defaults(checkpoint(), dataset(split), output());
    return new OrmSpec(checkpoint(), d.dataset(), maxProblems, sampling(d.rollout()),
        heldOutShare, optimization(d.optimization()), balanceClasses, seed(), output());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    new OrmTraining(spec()).run(logSink());
  }
}
