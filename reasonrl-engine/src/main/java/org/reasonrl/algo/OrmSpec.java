package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.train.Optimization;

/**
 * One {@code reasonrl:orm} run: sample, label, split, fine-tune, evaluate.
 *
 * @param policyCheckpoint the policy that writes the solutions and initialises the backbone (a
 *     Hugging Face checkpoint with its tokenizer.json)
 * @param dataset the training questions (with gold answers)
 * @param maxProblems use the first N questions only (0 = all)
 * @param samplesPerProblem K solutions sampled per question (also the K of rerank@K)
 * @param temperature sampling temperature (> 0)
 * @param maxNewTokens generation budget per solution
 * @param samplingBatchSize rows decoded together
 * @param heldOutShare share of questions (not samples) held out for validation, in [0, 1)
 * @param steps optimizer steps
 * @param batchSize solutions per optimizer step
 * @param microBatchSize solutions per forward pass (gradient accumulation splits the batch)
 * @param learningRate peak learning rate (linear warm-up, cosine decay to a tenth of it)
 * @param warmupSteps warm-up steps
 * @param weightDecay AdamW weight decay
 * @param maxGradNorm gradient clipping (0 = off)
 * @param balanceClasses weight correct and incorrect solutions so each class carries half the
 *     loss (Cobbe et al. do not; off by default, the class balance is reported either way)
 * @param logEvery metrics.jsonl every N steps
 * @param checkpointEvery resumable checkpoint every N steps
 * @param seed sampling, split, head initialisation and batch order
 * @param output the run directory
 */
public record OrmSpec(Path policyCheckpoint, DatasetSpec dataset, int maxProblems,
    int samplesPerProblem, double temperature, int maxNewTokens, int samplingBatchSize,
    double heldOutShare, long steps, int batchSize, int microBatchSize, double learningRate,
    long warmupSteps, double weightDecay, double maxGradNorm, boolean balanceClasses,
    int logEvery, int checkpointEvery, long seed, Path output) {

  public OrmSpec {
    if (policyCheckpoint == null) {
      throw new IllegalArgumentException("a policy checkpoint directory is required");
    }
    if (dataset == null) {
      throw new IllegalArgumentException("a dataset is required");
    }
    if (output == null) {
      throw new IllegalArgumentException("an output directory is required");
    }
    if (maxProblems < 0) {
      throw new IllegalArgumentException("maxProblems must be >= 0 (0 = all) but was "
          + maxProblems);
    }
    if (samplesPerProblem < 1) {
      throw new IllegalArgumentException("K (samples per problem) must be >= 1 but was "
          + samplesPerProblem);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("ORM sampling temperature must be > 0 but was "
          + temperature);
    }
    if (maxNewTokens < 1 || samplingBatchSize < 1) {
      throw new IllegalArgumentException("maxNewTokens and samplingBatchSize must be >= 1 but were "
          + maxNewTokens + ", " + samplingBatchSize);
    }
    if (!(heldOutShare >= 0 && heldOutShare < 1)) {
      throw new IllegalArgumentException("heldOutShare must be in [0, 1) but was " + heldOutShare);
    }
    if (batchSize < 1 || microBatchSize < 1) {
      throw new IllegalArgumentException("batchSize and microBatchSize must be >= 1 but were "
          + batchSize + ", " + microBatchSize);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0 but was " + learningRate);
    }
  }

  /** Defaults for the embedded benchmark: K=8 at T=0.7, 10% held out, 300 steps of 32. */
  public static OrmSpec defaults(Path policyCheckpoint, DatasetSpec dataset, Path output) {
    return new OrmSpec(policyCheckpoint, dataset, 0, 8, 0.7, 160, 64, 0.1, 300, 32, 16, 1e-4,
        20, 0.01, 1.0, false, 10, 50, 42, output);
  }

  /**
   * A run whose optimisation fields come from the shared record (its rules apply: a micro-batch
   * above the batch and a warm-up above the steps are lowered).
   */
  public static OrmSpec of(Path policyCheckpoint, DatasetSpec dataset, int maxProblems,
      int samplesPerProblem, double temperature, int maxNewTokens, int samplingBatchSize,
      double heldOutShare, Optimization optimization, boolean balanceClasses, long seed,
      Path output) {
    return new OrmSpec(policyCheckpoint, dataset, maxProblems, samplesPerProblem, temperature,
        maxNewTokens, samplingBatchSize, heldOutShare, optimization.steps(),
        optimization.batchSize(), optimization.microBatchSize(), optimization.learningRate(),
        optimization.warmupSteps(), optimization.weightDecay(), optimization.maxGradNorm(),
        balanceClasses, optimization.logEvery(), optimization.checkpointEvery(), seed, output);
  }

  /** The optimisation fields as the shared record, e.g. to override some of the defaults. */
  public Optimization optimization() {
    return new Optimization(steps, batchSize, microBatchSize, learningRate, warmupSteps,
        weightDecay, maxGradNorm, logEvery, checkpointEvery);
  }
}
