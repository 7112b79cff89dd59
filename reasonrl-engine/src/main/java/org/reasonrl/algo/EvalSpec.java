package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.Bootstrap;
import org.reasonrl.eval.EvalOptions;

/**
 * One {@code reasonrl:eval} run.
 *
 * @param checkpoint the policy, a Hugging Face checkpoint directory with its tokenizer.json
 * @param dataset the problems
 * @param maxProblems evaluate the first N problems only (0 = all)
 * @param fewShot worked exemplars put before each question (0 = zero-shot, for SFT models);
 *     taken from the dataset's train split, else from the head of the evaluated file (and then
 *     not evaluated)
 * @param ormCheckpoint an outcome reward model for rerank@K, or {@code null}
 * @param options sampling and metric options
 * @param output the run directory for {@code eval.json} and {@code samples.jsonl}
 * @param stepCondition a token written before every step of every solution ({@code [GOOD]} to
 *     evaluate a Return-Conditioned RL policy, {@code [BAD]} for its contrast); {@code null} for
 *     none. It must be a special token of the checkpoint's tokenizer
 */
public record EvalSpec(Path checkpoint, DatasetSpec dataset, int maxProblems, int fewShot,
    Path ormCheckpoint, EvalOptions options, Path output, String stepCondition) {

  public EvalSpec {
    if (checkpoint == null) {
      throw new IllegalArgumentException("a checkpoint directory is required");
    }
    if (output == null) {
      throw new IllegalArgumentException("an output directory is required");
    }
    if (maxProblems < 0) {
      throw new IllegalArgumentException("maxProblems must be >= 0 (0 = all) but was "
          + maxProblems);
    }
    if (fewShot < 0) {
      throw new IllegalArgumentException("fewShot must be >= 0 but was " + fewShot);
    }
    stepCondition = stepCondition == null || stepCondition.isBlank() ? null : stepCondition;
  }

  /** Without a step condition. */
  public EvalSpec(Path checkpoint, DatasetSpec dataset, int maxProblems, int fewShot,
      Path ormCheckpoint, EvalOptions options, Path output) {
    this(checkpoint, dataset, maxProblems, fewShot, ormCheckpoint, options, output, null);
  }

  /**
   * Defaults: every problem of the embedded benchmark's test split, zero-shot, no ORM; maj@1
   * greedy plus n = K = 8 samples at T=0.7 (top-p 1) of up to 160 tokens, decoded 64 rows at a
   * time, 1000 bootstrap resamples, seed 42.
   */
  public static EvalSpec defaults(Path checkpoint, Path output) {
    return new EvalSpec(checkpoint, DatasetSpec.synthetic("test"), 0, 0, null,
        new EvalOptions(8, 8, 0.7, 1.0, 160, 64, true, 42, Bootstrap.DEFAULT_RESAMPLES), output);
  }
}
