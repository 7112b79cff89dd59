package org.reasonrl.train;

/**
 * One record of {@code metrics.jsonl}. Steps count completed optimizer steps (1-based), so the
 * record of step s describes the update that took the model from s−1 to s.
 *
 * @param loss mean loss over the step's batch (before the update)
 * @param lr learning rate used by the update
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond tokens processed per second since the previous record
 * @param elapsedSeconds training time so far, including time before a resume
 */
public record StepMetrics(long step, double loss, double lr, double gradNorm,
    double tokensPerSecond, double elapsedSeconds) {}
