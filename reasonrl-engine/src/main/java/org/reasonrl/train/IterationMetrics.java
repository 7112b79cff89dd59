package org.reasonrl.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The {@code metrics.jsonl} record of one {@link RolloutIterations} iteration. Its fields that
 * {@link StepMetrics} also has mean the same, so one reader plots both; {@code step} counts
 * optimizer steps, and a resume truncates the file by it like the supervised loop does.
 *
 * @param step optimizer steps completed after this iteration
 * @param iteration this iteration, 1-based
 * @param updates optimizer steps this iteration made
 * @param loss mean loss over all this iteration's updates, pooled (Σ loss sums / Σ counts), each
 *     update's part measured before that update
 * @param lr learning rate of this iteration's updates
 * @param gradNorm mean over the updates of the global gradient norm before clipping
 * @param tokensPerSecond tokens the updates processed per second of update time
 * @param bufferSeconds time to build (or, on resume, read) the buffer
 * @param updateSeconds time of the updates
 * @param elapsedSeconds time so far, including time before a resume
 * @param stats the buffer's named statistics (as built, also when read back on resume) beside
 *     the objective's, pooled over every micro-batch of every update; empty ones are omitted
 */
public record IterationMetrics(long step, long iteration, int updates, double loss, double lr,
    double gradNorm, double tokensPerSecond, double bufferSeconds, double updateSeconds,
    double elapsedSeconds,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> stats) {}
