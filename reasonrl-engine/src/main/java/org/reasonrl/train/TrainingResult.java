package org.reasonrl.train;

import java.nio.file.Path;

/**
 * What {@link TrainingLoop#run} achieved.
 *
 * @param steps completed optimizer steps (the requested steps, unless a listener stopped the run)
 * @param finalLoss loss of the last step
 * @param resumedFromStep the checkpoint step the run continued from; 0 for a fresh start
 * @param elapsedSeconds training time including time before a resume
 * @param tokens tokens processed over the whole run
 * @param checkpoint the final checkpoint directory
 * @param stopped a listener stopped the run at {@code steps} (in this or an earlier invocation)
 */
public record TrainingResult(long steps, double finalLoss, long resumedFromStep,
    double elapsedSeconds, long tokens, Path checkpoint, boolean stopped) {}
