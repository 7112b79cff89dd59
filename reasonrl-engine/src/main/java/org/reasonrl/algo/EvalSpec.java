package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
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
 */
public record EvalSpec(Path checkpoint, DatasetSpec dataset, int maxProblems, int fewShot,
    Path ormCheckpoint, EvalOptions options, Path output) {

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
  }
}
