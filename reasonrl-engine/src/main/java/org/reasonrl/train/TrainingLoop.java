package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
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
 * The objective's named {@link Statistics} go into each record's {@code stats}.
 *
 * <p>Resume: if the run directory holds a checkpoint, the loop checks that it belongs to a run
 * with equal options, restores the model (through the {@link ModelLoader}), the optimizer and
 * the step, truncates {@code metrics.jsonl} after that step and continues. Because batches are a
 * pure function of the step, the run ends exactly where an uninterrupted one would. A run whose
 * final checkpoint exists returns at once.
 *
 * <p>Stop: a {@link StepListener} returning {@link LoopControl#STOP} ends the run after that
 * step. The step is logged and checkpointed (its checkpoint, if it was a checkpoint step anyway,
 * gets its {@code state.json} rewritten) with {@code stopped: true}, so a rerun returns at once
 * with {@link TrainingResult#stopped()}. A kill between the listener's answer and that write
 * loses the decision (listeners are not replayed): a listener whose decision must survive a
 * kill keeps its own state, as SFT's early stopping does.
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
    /** Whether the run goes on after this step; see {@link TrainingLoop} for what STOP does. */
    LoopControl afterStep(StepMetrics metrics);
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
    this.listener = builder.listener != null ? builder.listener
        : metrics -> LoopControl.CONTINUE;
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
   * Trains (or resumes) to {@code options.steps()}, or until a listener stops the run.
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
        if (state.stopped()) {
          return new TrainingResult(startStep, lastLoss, startStep, elapsedBefore, tokens,
              latest.get(), true);
        }
      } else {
        run.truncateMetricsAfter(0);
      }
      Path lastCheckpoint = latest.orElse(null);
      if (startStep >= options.steps()) {
        return new TrainingResult(startStep, lastLoss, startStep, elapsedBefore, tokens,
            lastCheckpoint, false);
      }

      Gradients.zero(parameters);
      long startNanos = System.nanoTime();
      long windowNanos = startNanos;
      long windowTokens = 0;
      for (long step = startStep; step < options.steps(); step++) {
        long done = step + 1;
        double lr = options.schedule().at(step);
        UpdateStep.Outcome outcome;
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
            windowSeconds > 0 ? windowTokens / windowSeconds : 0, elapsed,
            outcome.statistics().values());
        boolean logged = done % options.logEvery() == 0 || last;
        if (logged) {
          run.appendMetrics(metrics);
          windowNanos = now;
          windowTokens = 0;
        }
        TrainingState state = new TrainingState(done, options.seed(), optionsJson,
            outcome.loss(), elapsed, tokens, false);
        boolean checkpointed = done % options.checkpointEvery() == 0 || last;
        if (checkpointed) {
          lastCheckpoint = run.writeCheckpoint(done, dir -> LoopCheckpoints.write(dir, saver,
              optimizer, state));
        }
        progress.update(done, String.format(Locale.ROOT, "loss %.4f lr %.2e", outcome.loss(),
            lr));
        if (listener.afterStep(metrics) == LoopControl.STOP) {
          if (!logged) {
            run.appendMetrics(metrics);
          }
          if (checkpointed) {
            LoopCheckpoints.rewriteState(lastCheckpoint, state.asStopped());
          } else {
            lastCheckpoint = run.writeCheckpoint(done, dir -> LoopCheckpoints.write(dir, saver,
                optimizer, state.asStopped()));
          }
          return new TrainingResult(done, lastLoss, startStep, elapsed, tokens, lastCheckpoint,
              true);
        }
      }
      double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
      return new TrainingResult(options.steps(), lastLoss, startStep, elapsed, tokens,
          lastCheckpoint, false);
    }
  }

  private UpdateStep.Outcome trainStep(long step, double lr, AdamW optimizer,
      NDManager stepManager, Path lastCheckpoint) {
    List<B> microBatches = batches.microBatches(step);
    if (microBatches.isEmpty()) {
      throw new IllegalStateException("step " + (step + 1) + ": the batch source gave no"
          + " micro-batches");
    }
    return UpdateStep.apply(parameters, microBatches, objective, optimizer, lr,
        options.maxGradNorm(), stepManager, what -> diverged(what, step, lastCheckpoint));
  }

  private TrainingDivergedException diverged(String what, long step, Path lastCheckpoint) {
    String kept = lastCheckpoint == null ? "no checkpoint was written yet"
        : "the last good checkpoint " + lastCheckpoint + " (step "
            + RunDirectory.checkpointStep(lastCheckpoint) + ") is kept";
    return new TrainingDivergedException("training diverged at step " + (step + 1) + " of "
        + options.steps() + ": " + what + "; stopped before the update, " + kept
        + ". Lower the learning rate or enable clipping (maxGradNorm).", step + 1, lastCheckpoint);
  }

  private TrainingState restore(Path checkpoint, JsonNode optionsJson, AdamW optimizer) {
    TrainingState state = LoopCheckpoints.readState(checkpoint, TrainingState.class);
    LoopCheckpoints.checkOptions(run, "step " + state.step(), state.options(), optionsJson);
    LoopCheckpoints.restore(checkpoint, loader, optimizer, state.step());
    return state;
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
