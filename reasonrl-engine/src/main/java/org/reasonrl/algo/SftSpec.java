package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * One {@code reasonrl:sft} run.
 *
 * @param checkpoint the model to fine-tune (Hugging Face layout with tokenizer.json)
 * @param dataset training problems with reference solutions (split {@code train})
 * @param output the run directory; the best model by validation maj@1 is {@code output/best}
 * @param maxTrainProblems use the first N training problems only (0 = all), before the
 *     validation split is carved
 * @param validationProblems validation problems: the first N of the dataset's own validation
 *     split when it has one (synthetic-v2), else held out of the training problems,
 *     deterministically by the seed
 * @param optimization the most steps to train; batch and learning rate
 * @param evalEvery validate (and checkpoint) every this many steps
 * @param patience stop after this many validations without a better maj@1 (0 = never)
 * @param validation how each validation samples: K per problem (for maj@K and pass@K), their
 *     temperature, generation budget and batch (greedy maj@1 is decoded besides)
 * @param seed batch order, validation split, sampling
 */
public record SftSpec(Path checkpoint, DatasetSpec dataset, Path output, int maxTrainProblems,
    int validationProblems, Optimization optimization, int evalEvery, int patience,
    RolloutSpec validation, long seed) {

  public SftSpec {
    if (checkpoint == null) {
      throw new IllegalArgumentException("sft needs a checkpoint to fine-tune");
    }
    if (output == null) {
      throw new IllegalArgumentException("sft needs an output directory");
    }
    dataset = dataset == null ? DatasetSpec.synthetic("train") : dataset;
    if (maxTrainProblems < 0) {
      throw new IllegalArgumentException("maxTrainProblems must be >= 0 (0 = all) but was "
          + maxTrainProblems);
    }
    if (validationProblems < 1) {
      throw new IllegalArgumentException("validationProblems must be >= 1 but was "
          + validationProblems);
    }
    if (optimization == null) {
      throw new IllegalArgumentException("sft needs optimization settings");
    }
    if (evalEvery < 1) {
      throw new IllegalArgumentException("evalEvery must be >= 1 but was " + evalEvery);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0 (0 = off) but was " + patience);
    }
    if (validation == null) {
      throw new IllegalArgumentException("sft needs validation sampling settings");
    }
  }

  /**
   * Defaults for the embedded pipeline: up to 3000 steps of 32 at peak lr 1e-3, validating 300
   * held-out problems every 250 steps (greedy + K=4 at T=0.7), patience 3. Measured: after 600
   * steps validation maj@1 was 0.40 and still rising fast, so fewer steps are not converged.
   */
  public static SftSpec defaults(Path checkpoint, Path output) {
    return new SftSpec(checkpoint, DatasetSpec.synthetic("train"), output, 0, 300,
        new Optimization(3000, 32, 32, 1e-3, 100, 0.01, 1.0, 25, 250), 250, 3,
        RolloutSpec.of(4, 0.7, 120, 128), 42);
  }
}
