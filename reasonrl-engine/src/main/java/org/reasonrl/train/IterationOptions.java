package org.reasonrl.train;

/**
 * How {@link RolloutIterations} runs. A resumed run must use equal options (checked against the
 * checkpoint's {@code state.json}).
 *
 * @param iterations outer iterations (build a buffer, update on it, checkpoint) in total
 * @param schedule the learning rate per 0-based <em>iteration</em>: every update of an iteration
 *     uses the same rate, since the number of updates an iteration makes may vary with its buffer
 * @param adam AdamW hyper-parameters
 * @param maxGradNorm clip each update's global gradient norm to this; 0 disables clipping
 * @param seed the run's seed, recorded in checkpoints
 */
public record IterationOptions(long iterations, LearningRateSchedule schedule, AdamW.Config adam,
    double maxGradNorm, long seed) {

  public IterationOptions {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1 but was " + iterations);
    }
    if (schedule == null || adam == null) {
      throw new IllegalArgumentException("iterations need a learning-rate schedule and AdamW"
          + " config");
    }
    if (!(maxGradNorm >= 0)) {
      throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = off) but was "
          + maxGradNorm);
    }
  }
}
