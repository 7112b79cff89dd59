package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.train.HfCheckpoints;
import org.reasonrl.train.Optimization;
import org.reasonrl.train.SupervisedBatches;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingResult;

/**
 * A supervised fine-tune in its own run directory: load {@code start} into the model, train on
 * the examples (resumable through {@link TrainingLoop}), publish {@code <dir>/model}. EI's
 * rounds and the compute-matched control are both this, on different data.
 */
final class FineTune {

  private final CausalLm model;
  private final Path tokenizerFile;
  private final int padId;
  private final Optimization optimization;

  FineTune(CausalLm model, Path tokenizerFile, int padId, Optimization optimization) {
    this.model = model;
    this.tokenizerFile = tokenizerFile;
    this.padId = padId;
    this.optimization = optimization;
  }

  /**
   * Trains from {@code start} in {@code dir} for {@code steps} optimizer steps (the rest of the
   * schedule as configured) and writes {@code dir/model}; returns the steps.
   */
  long run(RunDirectory dir, Path start, List<TokenizedExample> examples, long steps, long seed,
      String label, Consumer<String> log, NDManager manager) {
    load(start);
    Optimization optimization = this.optimization.withSteps(steps);
    HfCheckpoints checkpoints = new HfCheckpoints(model, tokenizerFile);
    TrainingResult result = TrainingLoop.builder(optimization.trainingOptions(seed),
            model.getParameters(),
            SupervisedBatches.source(examples, seed, optimization.batchSize(),
                optimization.microBatchSize(), padId),
            SupervisedBatches.objective(model))
        .runDirectory(dir)
        .checkpoints(checkpoints, checkpoints)
        .progress(Progress.lines(label, optimization.steps(), "steps", log))
        .build()
        .run(manager);
    dir.writeDirectory(PublishedModel.DIR, d -> Checkpoint.save(model, d, tokenizerFile));
    return result.steps();
  }

  /** The configured optimizer steps of one fine-tune. */
  long fixedSteps() {
    return optimization.steps();
  }

  /** Sequences per optimizer step. */
  int batchSize() {
    return optimization.batchSize();
  }

  /** Puts the weights of {@code checkpoint} into the model. */
  void load(Path checkpoint) {
    try {
      HfCheckpoints.copyInto(model, checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + checkpoint, e);
    }
  }
}
