package org.reasonrl.train;

/**
 * The optimisation settings shared by the supervised goals (pretrain, SFT, EI's fine-tunes):
 * AdamW with linear warm-up and cosine decay to 10% of the peak rate.
 *
 * <p>Two values are lowered rather than refused, so that a job's defaults stay valid when only
 * {@code steps} or {@code batchSize} is overridden (e.g. a 20-step run of a goal whose default
 * warm-up is 100): a {@code microBatchSize} above {@code batchSize} becomes {@code batchSize}
 * (the batch is then one micro-batch, which is what the batch sources do with a larger one), and
 * a {@code warmupSteps} above {@code steps} becomes {@code steps} (the schedule would never leave
 * its warm-up).
 *
 * @param steps optimizer steps
 * @param batchSize sequences per step
 * @param microBatchSize sequences per forward/backward (gradients are accumulated); at most
 *     {@code batchSize}
 * @param learningRate peak learning rate
 * @param warmupSteps linear warm-up steps; at most {@code steps}
 * @param weightDecay AdamW decoupled weight decay (matrices only)
 * @param maxGradNorm global gradient-norm clip (0 = off)
 * @param logEvery a metrics.jsonl record every this many steps
 * @param checkpointEvery a checkpoint every this many steps
 * @param adamBeta1 AdamW's first-moment decay
 * @param adamBeta2 AdamW's second-moment decay
 */
public record Optimization(long steps, int batchSize, int microBatchSize, double learningRate,
    long warmupSteps, double weightDecay, double maxGradNorm, int logEvery, int checkpointEvery,
    double adamBeta1, double adamBeta2) {

  /** AdamW's moment decay rates of every job: (0.9, 0.95), as Llama-style training uses. */
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.95;

  public Optimization {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1 but was " + steps);
    }
    if (batchSize < 1 || microBatchSize < 1) {
      throw new IllegalArgumentException("batchSize and microBatchSize must be >= 1 but were "
          + batchSize + ", " + microBatchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0 and finite but was "
          + learningRate);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0 but was " + warmupSteps);
    }
    if (!(adamBeta1 >= 0 && adamBeta1 < 1) || !(adamBeta2 >= 0 && adamBeta2 < 1)) {
      throw new IllegalArgumentException("adamBeta1 and adamBeta2 must be in [0, 1) but were "
          + adamBeta1 + ", " + adamBeta2);
    }
    microBatchSize = Math.min(microBatchSize, batchSize);
    warmupSteps = Math.min(warmupSteps, steps);
  }

  /** The settings with the default AdamW betas. */
  public Optimization(long steps, int batchSize, int microBatchSize, double learningRate,
      long warmupSteps, double weightDecay, double maxGradNorm, int logEvery,
      int checkpointEvery) {
    this(steps, batchSize, microBatchSize, learningRate, warmupSteps, weightDecay, maxGradNorm,
        logEvery, checkpointEvery, DEFAULT_BETA1, DEFAULT_BETA2);
  }

  /** The same settings with another number of steps (warm-up capped to it). */
  public Optimization withSteps(long newSteps) {
    return new Optimization(newSteps, batchSize, microBatchSize, learningRate,
        Math.min(warmupSteps, newSteps), weightDecay, maxGradNorm, logEvery, checkpointEvery,
        adamBeta1, adamBeta2);
  }

  public Optimization withCheckpointEvery(int every) {
    return new Optimization(steps, batchSize, microBatchSize, learningRate, warmupSteps,
        weightDecay, maxGradNorm, logEvery, every, adamBeta1, adamBeta2);
  }

  /** {@link TrainingOptions} for {@link TrainingLoop}. */
  public TrainingOptions trainingOptions(long seed) {
    LearningRateSchedule schedule = new LearningRateSchedule(learningRate,
        Math.min(warmupSteps, steps), steps, LearningRateSchedule.Decay.COSINE,
        learningRate * 0.1);
    AdamW.Config adam = new AdamW.Config(adamBeta1, adamBeta2, 1e-8, weightDecay, false);
    return new TrainingOptions(steps, schedule, adam, maxGradNorm, Math.max(1, logEvery),
        Math.max(1, checkpointEvery), seed);
  }
}
