package org.reasonrl.train;

import java.nio.file.Path;

/** The loss or gradient became NaN or infinite; the run stopped before applying that update. */
public final class TrainingDivergedException extends RuntimeException {

  private final long step;
  private final Path lastGoodCheckpoint;

  public TrainingDivergedException(String message, long step, Path lastGoodCheckpoint) {
    super(message);
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /** The 1-based step whose loss or gradient was not finite. */
  public long step() {
    return step;
  }

  /** The newest checkpoint, kept untouched; {@code null} if none was written yet. */
  public Path lastGoodCheckpoint() {
    return lastGoodCheckpoint;
  }
}
