package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.RcrlSpec;
import org.reasonrl.algo.ReturnConditionedRl;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Return-Conditioned RL: the policy writes K solutions per training question; each step (line)
 * is labelled GOOD or BAD — by the success rate of {@code continuations} continuations of its
 * prefix sampled from {@code labelPolicy} ({@code labels=rollouts}), or by the ORM's score at its
 * end ({@code labels=orm}, ORM RCRL), thresholded at {@code threshold}; the policy is fine-tuned
 * with the label's token before each step, then evaluated with {@code [GOOD]} before each step
 * ({@code eval-good/}) and with {@code [BAD]} ({@code eval-bad/}). Writes {@code model},
 * {@code labelled.jsonl} and {@code result.json}; rerunning with the same output resumes.
 */
@Mojo(name = "rcrl", threadSafe = true, requiresProject = false)
public class RcrlMojo extends AbstractOnPolicyMojo {

  /** {@code rollouts} (continuation success rates) or {@code orm} (ORM RCRL). */
  @Parameter(property = "reasonrl.labels", defaultValue = "rollouts")
  private String labels;

  /** The policy whose continuations label the steps (the paper: the best EI policy). Default: checkpoint. */
  @Parameter(property = "reasonrl.labelPolicy")
  private java.io.File labelPolicy;

  /** T in [0, 1]: a step is GOOD when its success rate (or ORM score) reaches it. */
  @Parameter(property = "reasonrl.threshold", defaultValue = "0.5")
  private double threshold;

  /** Continuations sampled per step prefix (labels=rollouts). */
  @Parameter(property = "reasonrl.continuations", defaultValue = "4")
  private int continuations;

  RcrlSpec spec() {
    RcrlSpec d = RcrlSpec.defaults(checkpoint(), output());
    RolloutSpec rollout = sampling(d.rollout());
    DatasetSpec train = dataset("train");
    return new RcrlSpec(checkpoint(), labels, path(labelPolicy), ormCheckpoint(), threshold,
        continuations, train, evalDataset(train), output(), maxQuestions(d.maxQuestions()),
        rollout, optimization(d.optimization()), evalProblems(d.evalProblems()),
        evalSampling(d.eval(), rollout), seed());
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    ReturnConditionedRl.Result result = new ReturnConditionedRl(spec()).run(logSink());
    getLog().info(String.format(java.util.Locale.ROOT, "RCRL model: %s (%d rollouts);"
            + " [GOOD] maj@1 %.3f, [BAD] maj@1 %.3f", result.finalModel(), result.rollouts(),
        result.good().maj1(), result.bad().maj1()));
  }
}
