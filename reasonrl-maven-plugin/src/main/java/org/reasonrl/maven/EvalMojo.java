package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Evaluates a checkpoint: maj@1 (greedy), maj@K, pass@K (unbiased, from n ≥ K samples) and,
 * with an outcome reward model, rerank@K on the same samples, each with a bootstrap 95%
 * interval. Writes {@code eval.json} and {@code samples.jsonl} into {@code output}.
 */
@Mojo(name = "eval", threadSafe = true, requiresProject = false)
public class EvalMojo extends AbstractSamplingMojo {

  /** {@code test} or {@code train}. */
  @Parameter(property = "reasonrl.split", defaultValue = "test")
  private String split;

  /** Samples drawn per problem (n ≥ K; 0 means n = K). */
  @Parameter(property = "reasonrl.samples", defaultValue = "0")
  private int samples;

  /** Nucleus mass of the K samples (1 = no cut). */
  @Parameter(property = "reasonrl.topP", defaultValue = "1.0")
  private double topP;

  /** Evaluate the first N problems only (0 = all). */
  @Parameter(property = "reasonrl.maxProblems", defaultValue = "0")
  private int maxProblems;

  /** Worked exemplars before each question (0 = zero-shot, for fine-tuned models). */
  @Parameter(property = "reasonrl.fewShot", defaultValue = "0")
  private int fewShot;

  /** An outcome reward model checkpoint (from {@code reasonrl:orm}) for rerank@K. */
  @Parameter(property = "reasonrl.ormCheckpoint")
  private File ormCheckpoint;

  /** Also decode greedily for maj@1. */
  @Parameter(property = "reasonrl.greedy", defaultValue = "true")
  private boolean greedy;

  /**
   * A token written before every step of every solution: {@code [GOOD]} to evaluate a
   * Return-Conditioned RL policy ({@code reasonrl:rcrl}'s), {@code [BAD]} for its contrast.
   * Unset: none.
   */
  @Parameter(property = "reasonrl.stepCondition")
  private String stepCondition;

  /** Bootstrap resamples for the 95% intervals. */
  @Parameter(property = "reasonrl.bootstrapResamples", defaultValue = "1000")
  private int bootstrapResamples;

  EvalSpec spec() {
    EvalOptions d = EvalSpec.defaults(checkpoint(), output()).options();
    RolloutSpec s = sampling(RolloutSpec.of(d.k(), d.temperature(), d.maxNewTokens(),
        d.batchSize()));
    EvalOptions options = new EvalOptions(s.k(), samples == 0 ? s.k() : samples,
        s.temperature(), topP, s.maxNewTokens(), s.batchSize(), greedy, seed(),
        bootstrapResamples);
    return new EvalSpec(checkpoint(), dataset(split), maxProblems, fewShot, path(ormCheckpoint),
        options, output(), stepCondition);
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    new Evaluation(spec()).run(logSink());
  }
}
