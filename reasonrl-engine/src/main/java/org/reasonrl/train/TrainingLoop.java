package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;

/**
 * The optimisation loop every supervised algorithm shares (pretraining, SFT, Expert Iteration's
 * fine-tuning, the ORM): per step, accumulate the gradients of all micro-batches, divide by the
 * total loss count, clip, apply AdamW with the scheduled learning rate, zero the gradients; log
 * every {@code logEvery} steps, checkpoint every {@code checkpointEvery} steps and at the end.
 *
 * <p>Resume: if the run directory holds a checkpoint, the loop checks that it belongs to a run
 * with equal options, restores the model (through the {@link ModelLoader}), the optimizer and
 * the step, truncates {@code metrics.jsonl} after that step and continues. Because batches are a
 * pure function of the step, the run ends exactly where an uninterrupted one would. A run whose
 * final checkpoint exists returns at once.
 *
 * <p>A NaN or infinite loss or gradient norm stops the run with {@link TrainingDivergedException}
 * before the bad update; the last checkpoint stays as it was.
 *
 * @param <B> one micro-batch
 */
public final class TrainingLoop<B> {

  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String STATE_FILE = "state.json";

  private final TrainingOptions options;
  private final ParameterList parameters;
  private final BatchSource<B> batches;
  private final Objective<B> objective;
  private final RunDirectory run;
  private final ModelSaver saver;
  private final ModelLoader loader;
  private final Progress progress;
  private final StepListener listener;

  /** Called after each completed step, e.g. to evaluate; not replayed on resume. */
  @FunctionalInterface
  public interface StepListener {
    void afterStep(StepMetrics metrics);
  }

  private TrainingLoop(Builder<B> builder) {
    this.options = builder.options;
    this.parameters = builder.parameters;
    this.batches = builder.batches;
    this.objective = builder.objective;
    this.run = Objects.requireNonNull(builder.run, "a RunDirectory is required");
    BlockParameters generic = new BlockParameters(parameters);
    this.saver = builder.saver != null ? builder.saver : generic;
    this.loader = builder.loader != null ? builder.loader : generic;
    this.progress = builder.progress != null ? builder.progress
        : Progress.console("train", options.steps(), "steps");
    this.listener = builder.listener;
  }

  /**
   * Starts building a loop.
   *
   * @param parameters the model's parameters ({@code block.getParameters()}); the trainable ones
   *     are those requiring gradients
   */
  public static <B> Builder<B> builder(TrainingOptions options, ParameterList parameters,
      BatchSource<B> batches, Objective<B> objective) {
    return new Builder<>(options, parameters, batches, objective);
  }

  /**
   * Trains (or resumes) to {@code options.steps()}.
   *
   * @param manager a long-lived manager: the optimizer state lives in a sub-manager of it, and
   *     every step runs in its own sub-manager
   */
  public TrainingResult run(NDManager manager) {
    try (AdamW optimizer = new AdamW(options.adam(), parameters, manager)) {
      JsonNode optionsJson = Json.mapper().valueToTree(options);
      long startStep = 0;
      double elapsedBefore = 0;
      long tokens = 0;
      double lastLoss = Double.NaN;
      Optional<Path> latest = run.latestCheckpoint();
      if (latest.isPresent()) {
        TrainingState state = restore(latest.get(), optionsJson, optimizer);
        startStep = state.step();
        elapsedBefore = state.elapsedSeconds();
        tokens = state.tokens();
        lastLoss = state.lastLoss();
        run.truncateMetricsAfter(startStep);
      } else {
        run.truncateMetricsAfter(0);
      }
      Path lastCheckpoint = latest.orElse(null);
      if (startStep >= options.steps()) {
        return new TrainingResult(startStep, lastLoss, startStep, elapsedBefore, tokens,
            lastCheckpoint);
      }

      Gradients.zero(parameters);
      long startNanos = System.nanoTime();
      long windowNanos = startNanos;
      long windowTokens = 0;
      for (long step = startStep; step < options.steps(); step++) {
        long done = step + 1;
        double lr = options.schedule().at(step);
        StepOutcome outcome;
        try (NDManager stepManager = manager.newSubManager()) {
          outcome = trainStep(step, lr, optimizer, stepManager, lastCheckpoint);
        }
        tokens += outcome.tokens();
        windowTokens += outcome.tokens();
        lastLoss = outcome.loss();
        double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
        boolean last = done == options.steps();
        long now = System.nanoTime();
        double windowSeconds = (now - windowNanos) / 1e9;
        StepMetrics metrics = new StepMetrics(done, outcome.loss(), lr, outcome.gradNorm(),
            windowSeconds > 0 ? windowTokens / windowSeconds : 0, elapsed);
        if (done % options.logEvery() == 0 || last) {
          run.appendMetrics(metrics);
          windowNanos = now;
          windowTokens = 0;
        }
        if (done % options.checkpointEvery() == 0 || last) {
          TrainingState state = new TrainingState(done, options.seed(), optionsJson,
              outcome.loss(), elapsed, tokens);
          lastCheckpoint = run.writeCheckpoint(done, dir -> writeCheckpoint(dir, state,
              optimizer));
        }
        progress.update(done, String.format(Locale.ROOT, "loss %.4f lr %.2e", outcome.loss(),
            lr));
        if (listener != null) {
          listener.afterStep(metrics);
        }
      }
      double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
      return new TrainingResult(options.steps(), lastLoss, startStep, elapsed, tokens,
          lastCheckpoint);
    }
  }

  private record StepOutcome(double loss, double gradNorm, long tokens) {}

  private StepOutcome trainStep(long step, double lr, AdamW optimizer, NDManager stepManager,
      Path lastCheckpoint) {
    List<B> microBatches = batches.microBatches(step);
    if (microBatches.isEmpty()) {
      throw new IllegalStateException("step " + (step + 1) + ": the batch source gave no"
          + " micro-batches");
    }
    Gradients.Accumulated accumulated =
        Gradients.accumulate(parameters, microBatches, objective, stepManager);
    double loss = accumulated.meanLoss();
    if (!Double.isFinite(loss)) {
      Gradients.zero(parameters);
      throw diverged("loss is " + loss, step, lastCheckpoint);
    }
    double gradNorm = Gradients.clipByGlobalNorm(parameters, options.maxGradNorm());
    if (!Double.isFinite(gradNorm)) {
      Gradients.zero(parameters);
      throw diverged("gradient norm is " + gradNorm + " (loss " + loss + ")", step,
          lastCheckpoint);
    }
    optimizer.update(lr);
    Gradients.zero(parameters);
    return new StepOutcome(loss, gradNorm, accumulated.tokens());
  }

  private TrainingDivergedException diverged(String what, long step, Path lastCheckpoint) {
    String kept = lastCheckpoint == null ? "no checkpoint was written yet"
        : "the last good checkpoint " + lastCheckpoint + " (step "
            + RunDirectory.checkpointStep(lastCheckpoint) + ") is kept";
    return new TrainingDivergedException("training diverged at step " + (step + 1) + " of "
        + options.steps() + ": " + what + "; stopped before the update, " + kept
        + ". Lower the learning rate or enable clipping (maxGradNorm).", step + 1, lastCheckpoint);
  }

  private void writeCheckpoint(Path dir, TrainingState state, AdamW optimizer)
      throws IOException {
    saver.save(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(OPTIMIZER_FILE))) {
      optimizer.save(out);
    }
    RunDirectory.writeJson(dir.resolve(STATE_FILE), state);
  }

  private TrainingState restore(Path checkpoint, JsonNode optionsJson, AdamW optimizer) {
    Path stateFile = checkpoint.resolve(STATE_FILE);
    try {
      if (!Files.exists(stateFile)) {
        throw new IllegalStateException("checkpoint " + checkpoint + " has no " + STATE_FILE
            + "; it was not written by a training loop");
      }
      TrainingState state = Json.mapper().readValue(stateFile.toFile(), TrainingState.class);
      // Compared as text: numbers read back may be int nodes where the options wrote longs.
      if (!optionsJson.toString().equals(String.valueOf(state.options()))) {
        throw new IllegalStateException("run directory " + run.root() + " holds a checkpoint"
            + " (step " + state.step() + ") of a run with other options:\n  checkpoint: "
            + state.options() + "\n  this run:   " + optionsJson
            + "\nuse the same options to resume, or another output directory");
      }
      loader.load(checkpoint);
      try (InputStream in = Files.newInputStream(checkpoint.resolve(OPTIMIZER_FILE))) {
        optimizer.load(in, checkpoint.resolve(OPTIMIZER_FILE).toString());
      }
      if (optimizer.step() != state.step()) {
        throw new IllegalStateException("checkpoint " + checkpoint + ": optimizer step "
            + optimizer.step() + " differs from state step " + state.step());
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resume from checkpoint " + checkpoint, e);
    }
  }

  /** Assembles a {@link TrainingLoop}; only the run directory is required beyond the basics. */
  public static final class Builder<B> {
    private final TrainingOptions options;
    private final ParameterList parameters;
    private final BatchSource<B> batches;
    private final Objective<B> objective;
    private RunDirectory run;
    private ModelSaver saver;
    private ModelLoader loader;
    private Progress progress;
    private StepListener listener;

    private Builder(TrainingOptions options, ParameterList parameters, BatchSource<B> batches,
        Objective<B> objective) {
      this.options = Objects.requireNonNull(options, "options");
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      this.batches = Objects.requireNonNull(batches, "batches");
      this.objective = Objects.requireNonNull(objective, "objective");
    }

    public Builder<B> runDirectory(RunDirectory run) {
      this.run = run;
      return this;
    }

    /** How the model is saved into and restored from a checkpoint; default {@link BlockParameters}. */
    public Builder<B> checkpoints(ModelSaver saver, ModelLoader loader) {
      this.saver = saver;
      this.loader = loader;
      return this;
    }

    /** Default: console progress labelled "train". */
    public Builder<B> progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    public Builder<B> listener(StepListener listener) {
      this.listener = listener;
      return this;
    }

    public TrainingLoop<B> build() {
      return new TrainingLoop<>(this);
    }
  }
}
