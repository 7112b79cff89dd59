package org.reasonrl.train;

import java.nio.file.Path;

/**
 * What {@link RolloutIterations#run} achieved.
 *
 * @param iterations completed iterations (the requested ones, unless a listener stopped the run)
 * @param optimizerSteps optimizer steps over all iterations
 * @param finalLoss mean loss of the last iteration's updates
 * @param resumedFromIteration the checkpoint the run continued from; 0 for a fresh start
 * @param elapsedSeconds time including time before a resume
 * @param tokens tokens processed by updates over the whole run
 * @param checkpoint the final checkpoint directory
 * @param stopped a listener stopped the run after {@code iterations} (in this or an earlier
 *     invocation)
 */
public record IterationResult(long iterations, long optimizerSteps, double finalLoss,
    long resumedFromIteration, double elapsedSeconds, long tokens, Path checkpoint,
    boolean stopped) {}
