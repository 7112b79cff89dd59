package org.reasonrl.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * The checkpoint layout the loops share: the model (through its {@link ModelSaver}), the
 * optimizer ({@value TrainingLoop#OPTIMIZER_FILE}) and the loop's state
 * ({@value TrainingLoop#STATE_FILE}).
 */
final class LoopCheckpoints {

  private LoopCheckpoints() {}

  static void write(Path dir, ModelSaver saver, AdamW optimizer, Object state) throws IOException {
    saver.save(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(TrainingLoop.OPTIMIZER_FILE))) {
      optimizer.save(out);
    }
    RunDirectory.writeJson(dir.resolve(TrainingLoop.STATE_FILE), state);
  }

  /**
   * Replaces the state of a complete checkpoint (atomically), e.g. to record that the run
   * stopped there; the model and optimizer files stay.
   */
  static void rewriteState(Path checkpoint, Object state) {
    RunDirectory.writeJson(checkpoint.resolve(TrainingLoop.STATE_FILE), state);
  }

  static <S> S readState(Path checkpoint, Class<S> type) {
    Path stateFile = checkpoint.resolve(TrainingLoop.STATE_FILE);
    if (!Files.exists(stateFile)) {
      throw new IllegalStateException("checkpoint " + checkpoint + " has no "
          + TrainingLoop.STATE_FILE + "; it was not written by a training loop");
    }
    try {
      return Json.mapper().readValue(stateFile.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stateFile + " (was it written by another"
          + " kind of training loop?)", e);
    }
  }

  /**
   * @param position how the checkpoint is named in the message, e.g. "step 6"
   * @throws IllegalStateException if the checkpoint's run had other options
   */
  static void checkOptions(RunDirectory run, String position, JsonNode recorded,
      JsonNode current) {
    // Compared as text: numbers read back may be int nodes where the options wrote longs.
    if (!current.toString().equals(String.valueOf(recorded))) {
      throw new IllegalStateException("run directory " + run.root() + " holds a checkpoint ("
          + position + ") of a run with other options:\n  checkpoint: " + recorded
          + "\n  this run:   " + current
          + "\nuse the same options to resume, or another output directory");
    }
  }

  /** Restores the model and the optimizer, which must have made {@code optimizerSteps}. */
  static void restore(Path checkpoint, ModelLoader loader, AdamW optimizer, long optimizerSteps) {
    Path optimizerFile = checkpoint.resolve(TrainingLoop.OPTIMIZER_FILE);
    try {
      loader.load(checkpoint);
      try (InputStream in = Files.newInputStream(optimizerFile)) {
        optimizer.load(in, optimizerFile.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resume from checkpoint " + checkpoint, e);
    }
    if (optimizer.step() != optimizerSteps) {
      throw new IllegalStateException("checkpoint " + checkpoint + ": optimizer step "
          + optimizer.step() + " differs from state step " + optimizerSteps);
    }
  }
}
