package org.reasonrl.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code state.json} of a {@link RolloutIterations} checkpoint, written at an iteration boundary.
 * As in {@link TrainingState}, no RNG state is saved: a buffer is built from (weights, seed,
 * iteration) and its updates are a pure function of (buffer, iteration).
 *
 * @param iteration completed iterations
 * @param optimizerSteps optimizer steps made over them
 * @param options the run's options as JSON, compared on resume
 * @param lastLoss the mean loss of the last iteration's updates
 * @param elapsedSeconds time up to this checkpoint (buffers and updates)
 * @param tokens tokens processed by updates up to this checkpoint
 * @param stopped a listener stopped the run after this iteration: a rerun returns at once
 */
public record IterationState(long iteration, long optimizerSteps, long seed, JsonNode options,
    double lastLoss, double elapsedSeconds, long tokens, boolean stopped) {

  IterationState asStopped() {
    return new IterationState(iteration, optimizerSteps, seed, options, lastLoss, elapsedSeconds,
        tokens, true);
  }
}
