package org.reasonrl.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One record of {@code metrics.jsonl}. Steps count completed optimizer steps (1-based), so the
 * record of step s describes the update that took the model from s−1 to s.
 *
 * @param loss mean loss over the step's batch (before the update)
 * @param lr learning rate used by the update
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond tokens processed per second since the previous record
 * @param elapsedSeconds training time so far, including time before a resume
 * @param stats the objective's named {@link Statistics}, each the weighted mean over the step's
 *     micro-batches; omitted from the JSON when empty (supervised objectives)
 */
public record StepMetrics(long step, double loss, double lr, double gradNorm,
    double tokensPerSecond, double elapsedSeconds,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> stats) {}
