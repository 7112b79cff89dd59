package org.reasonrl.train;

/**
 * How {@link TrainingLoop} runs. A resumed run must use equal options (checked against the
 * checkpoint's {@code state.json}), since any change would make it a different run.
 *
 * @param steps optimizer steps in total
 * @param schedule the learning rate per step
 * @param adam AdamW hyper-parameters
 * @param maxGradNorm clip the global gradient norm to this; 0 disables clipping
 * @param logEvery append a record to {@code metrics.jsonl} every this many steps (and at the end)
 * @param checkpointEvery write a checkpoint every this many steps (and at the end)
 * @param seed the run's seed, recorded in checkpoints
 */
public record TrainingOptions(long steps, LearningRateSchedule schedule, AdamW.Config adam,
    double maxGradNorm, int logEvery, int checkpointEvery, long seed) {

  public TrainingOptions {
    if (steps < 1) {
      throw new IllegalArgumentException("training needs steps >= 1 but got " + steps);
    }
    if (schedule == null || adam == null) {
      throw new IllegalArgumentException("training needs a learning-rate schedule and AdamW config");
    }
    if (!(maxGradNorm >= 0)) {
      throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = off) but was "
          + maxGradNorm);
    }
    if (logEvery < 1 || checkpointEvery < 1) {
      throw new IllegalArgumentException("logEvery and checkpointEvery must be >= 1 but were "
          + logEvery + ", " + checkpointEvery);
    }
  }
}
