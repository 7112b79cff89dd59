package org.reasonrl.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code state.json} of a checkpoint. No RNG state is saved: batches are a pure function of the
 * step ({@link BatchSource}) and any sampling randomness must be seeded from (seed, step, …), so
 * {@code step} is the whole data cursor.
 *
 * @param step completed optimizer steps
 * @param options the run's options as JSON, compared on resume
 * @param lastLoss the loss of the last step
 * @param elapsedSeconds training time up to this checkpoint
 * @param tokens tokens processed up to this checkpoint
 * @param stopped a listener stopped the run at this step: a rerun returns at once (absent, so
 *     false, in checkpoints written before listeners could stop)
 */
public record TrainingState(long step, long seed, JsonNode options, double lastLoss,
    double elapsedSeconds, long tokens, boolean stopped) {

  TrainingState asStopped() {
    return new TrainingState(step, seed, options, lastLoss, elapsedSeconds, tokens, true);
  }
}
