package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;

/**
 * The outer loop of on-policy RL (PPO, GRPO, RLOO, …). Iteration n (1-based):
 *
 * <ol>
 *   <li><b>Buffer.</b> If {@code rollouts-<n>/} exists in the run directory, it is read back;
 *       otherwise the {@link BufferBuilder} builds it from the current weights (the weights after
 *       iteration n−1: sample, score, old and reference log-probs, advantages) and it is written
 *       atomically <em>before any update</em>.
 *   <li><b>Updates.</b> The {@link UpdatePlan} turns the buffer into optimizer steps (e.g. several
 *       epochs of shuffled minibatches, each a list of micro-batches), and each runs the step
 *       every loop shares: accumulate the {@link Objective}'s gradients, stop on a non-finite loss
 *       or norm, clip, AdamW at the iteration's learning rate.
 *   <li><b>Boundary.</b> One {@link IterationMetrics} record goes to {@code metrics.jsonl}, the
 *       model, optimizer and {@link IterationState} to {@code checkpoint-<n>/}, then
 *       {@code rollouts-<n>/} is deleted and the {@link IterationListener} may stop the run.
 * </ol>
 *
 * <p>Resume: from the newest checkpoint (iteration k, options checked as in {@link TrainingLoop}),
 * {@code metrics.jsonl} truncated after its optimizer step. Iteration k+1 then reads its buffer
 * if the killed run had persisted it, so a kill during the updates never leads to a buffer rebuilt
 * from partly updated — or differently sampled — weights, and the run ends with the weights and
 * records an uninterrupted one would have. Buffers of iterations ≤ k (a kill between checkpoint
 * and delete) are deleted. A run whose final or stopping checkpoint exists returns at once.
 *
 * <p>Everything random must be seeded from (seed, iteration, …): the builder's sampling and the
 * plan's shuffles; the plan must be a pure function of (buffer, iteration).
 *
 * @param <R> the rollout buffer: plain Java data (no NDArrays), written and read by a
 *     {@link BufferCodec}
 * @param <B> one micro-batch of an update
 */
public final class RolloutIterations<R, B> {

  /** Buffers live in {@code rollouts-<iteration>/}. */
  public static final String BUFFER_PREFIX = "rollouts-";
  /** The buffer's {@link Statistics}, beside the codec's files. */
  public static final String BUFFER_STATISTICS_FILE = "statistics.json";

  private final IterationOptions options;
  private final ParameterList parameters;
  private final RolloutBuffers<R> buffers;
  private final UpdatePlan<R, B> plan;
  private final Objective<B> objective;
  private final RunDirectory run;
  private final ModelSaver saver;
  private final ModelLoader loader;
  private final Progress progress;
  private final IterationListener listener;
  private final Function<IterationMetrics, String> progressDetail;

  /**
   * A built buffer and what it measured (mean reward, response length, generation time, …); the
   * statistics are persisted with it, so a resumed iteration records the same values.
   */
  public record Buffer<R>(R contents, Statistics statistics) {

    public Buffer {
      Objects.requireNonNull(contents, "contents");
      Objects.requireNonNull(statistics, "statistics (Statistics.NONE for none)");
    }

    public static <R> Buffer<R> of(R contents) {
      return new Buffer<>(contents, Statistics.NONE);
    }
  }

  /** Builds iteration n's buffer from the current weights (those after iteration n−1). */
  @FunctionalInterface
  public interface BufferBuilder<R> {
    /**
     * @param iteration 1-based; seed sampling from it
     * @param manager a scope that closes at the end of the iteration
     */
    Buffer<R> build(long iteration, NDManager manager);
  }

  /** Writes a buffer into a fresh directory and reads it back equal. */
  public interface BufferCodec<R> {
    void write(R buffer, Path directory) throws IOException;

    R read(Path directory) throws IOException;

    /** The buffer as {@code buffer.json} through the project's JSON mapper (records work). */
    static <R> BufferCodec<R> json(Class<R> type) {
      return new BufferCodec<>() {
        @Override
        public void write(R buffer, Path directory) throws IOException {
          Json.mapper().writeValue(directory.resolve("buffer.json").toFile(), buffer);
        }

        @Override
        public R read(Path directory) throws IOException {
          return Json.mapper().readValue(directory.resolve("buffer.json").toFile(), type);
        }
      };
    }
  }

  /**
   * The optimizer steps of an iteration: each element is one step's micro-batches. A pure
   * function of (buffer, iteration); at least one step, each of at least one micro-batch.
   */
  @FunctionalInterface
  public interface UpdatePlan<R, B> {
    List<List<B>> updates(R buffer, long iteration);
  }

  /** Called after each completed (checkpointed) iteration; not replayed on resume. */
  @FunctionalInterface
  public interface IterationListener {
    /** STOP ends the run here: its checkpoint is marked stopped and a rerun returns at once. */
    LoopControl afterIteration(IterationMetrics metrics);
  }

  private RolloutIterations(Builder<R, B> b) {
    this.options = b.options;
    this.parameters = b.parameters;
    this.plan = b.plan;
    this.objective = b.objective;
    this.run = Objects.requireNonNull(b.run, "a RunDirectory is required");
    this.buffers = new RolloutBuffers<>(run, b.builder, b.codec);
    BlockParameters generic = new BlockParameters(parameters);
    this.saver = b.saver != null ? b.saver : generic;
    this.loader = b.loader != null ? b.loader : generic;
    this.progress = b.progress != null ? b.progress
        : Progress.console("rl", options.iterations(), "iterations");
    this.listener = b.listener != null ? b.listener : metrics -> LoopControl.CONTINUE;
    this.progressDetail = b.progressDetail != null ? b.progressDetail
        : metrics -> String.format(Locale.ROOT, "loss %.4f lr %.2e", metrics.loss(),
            metrics.lr());
  }

  /**
   * @param parameters the model's parameters; the trainable ones are those requiring gradients
   */
  public static <R, B> Builder<R, B> builder(IterationOptions options, ParameterList parameters,
      BufferBuilder<R> builder, BufferCodec<R> codec, UpdatePlan<R, B> plan,
      Objective<B> objective) {
    return new Builder<>(options, parameters, builder, codec, plan, objective);
  }

  /**
   * Runs (or resumes) to {@code options.iterations()}, or until the listener stops the run.
   *
   * @param manager a long-lived manager: the optimizer state lives in a sub-manager of it, each
   *     iteration and each update in their own
   */
  public IterationResult run(NDManager manager) {
    try (AdamW optimizer = new AdamW(options.adam(), parameters, manager)) {
      JsonNode optionsJson = Json.mapper().valueToTree(options);
      long done = 0;
      long optimizerSteps = 0;
      double elapsedBefore = 0;
      long tokens = 0;
      double lastLoss = Double.NaN;
      Optional<Path> latest = run.latestCheckpoint();
      if (latest.isPresent()) {
        IterationState state = LoopCheckpoints.readState(latest.get(), IterationState.class);
        LoopCheckpoints.checkOptions(run, "iteration " + state.iteration(), state.options(),
            optionsJson);
        LoopCheckpoints.restore(latest.get(), loader, optimizer, state.optimizerSteps());
        done = state.iteration();
        optimizerSteps = state.optimizerSteps();
        elapsedBefore = state.elapsedSeconds();
        tokens = state.tokens();
        lastLoss = state.lastLoss();
        if (state.stopped()) {
          run.truncateMetricsAfter(optimizerSteps);
          return new IterationResult(done, optimizerSteps, lastLoss, done, elapsedBefore, tokens,
              latest.get(), true);
        }
      }
      run.truncateMetricsAfter(optimizerSteps);
      buffers.deleteOtherThan(done + 1);
      long resumedFrom = done;
      Path lastCheckpoint = latest.orElse(null);

      Gradients.zero(parameters);
      long startNanos = System.nanoTime();
      for (long iteration = done + 1; iteration <= options.iterations(); iteration++) {
        long bufferStart = System.nanoTime();
        IterationMetrics metrics;
        IterationState state;
        try (NDManager iterationManager = manager.newSubManager()) {
          Buffer<R> buffer = buffers.loadOrBuild(iteration, iterationManager);
          long updateStart = System.nanoTime();
          List<List<B>> updates = plan.updates(buffer.contents(), iteration);
          if (updates.isEmpty()) {
            throw new IllegalStateException("iteration " + iteration + ": the update plan gave"
                + " no optimizer steps");
          }
          double lr = options.schedule().at(iteration - 1);
          double lossSum = 0;
          double count = 0;
          double gradNormSum = 0;
          long iterationTokens = 0;
          Statistics statistics = Statistics.NONE;
          for (int u = 0; u < updates.size(); u++) {
            List<B> microBatches = updates.get(u);
            if (microBatches.isEmpty()) {
              throw new IllegalStateException("iteration " + iteration + ", update " + (u + 1)
                  + ": the update plan gave no micro-batches");
            }
            UpdateStep.Outcome outcome;
            try (NDManager stepManager = iterationManager.newSubManager()) {
              outcome = UpdateStep.apply(parameters, microBatches, objective, optimizer, lr,
                  options.maxGradNorm(), stepManager, diverged(iteration, u, updates.size(),
                      optimizerSteps + u + 1, lastCheckpoint));
            }
            lossSum += outcome.loss() * outcome.count();
            count += outcome.count();
            gradNormSum += outcome.gradNorm();
            iterationTokens += outcome.tokens();
            statistics = statistics.merge(outcome.statistics());
          }
          long end = System.nanoTime();
          optimizerSteps += updates.size();
          tokens += iterationTokens;
          lastLoss = lossSum / count;
          double updateSeconds = (end - updateStart) / 1e9;
          double elapsed = elapsedBefore + (end - startNanos) / 1e9;
          metrics = new IterationMetrics(optimizerSteps, iteration, updates.size(), lastLoss, lr,
              gradNormSum / updates.size(),
              updateSeconds > 0 ? iterationTokens / updateSeconds : 0,
              (updateStart - bufferStart) / 1e9, updateSeconds, elapsed,
              buffer.statistics().disjointUnion(statistics).values());
          state = new IterationState(iteration, optimizerSteps, options.seed(), optionsJson,
              lastLoss, elapsed, tokens, false);
        }
        run.appendMetrics(metrics);
        lastCheckpoint = run.writeCheckpoint(iteration,
            dir -> LoopCheckpoints.write(dir, saver, optimizer, state));
        // Only now is the buffer spent: a kill before this line resumes from the new checkpoint
        // and deletes it then.
        buffers.delete(iteration);
        progress.update(iteration, progressDetail.apply(metrics));
        if (listener.afterIteration(metrics) == LoopControl.STOP) {
          LoopCheckpoints.rewriteState(lastCheckpoint, state.asStopped());
          return new IterationResult(iteration, optimizerSteps, lastLoss, resumedFrom,
              metrics.elapsedSeconds(), tokens, lastCheckpoint, true);
        }
      }
      double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
      return new IterationResult(options.iterations(), optimizerSteps, lastLoss, resumedFrom,
          elapsed, tokens, lastCheckpoint, false);
    }
  }

  private UpdateStep.Divergence diverged(long iteration, int update, int updates,
      long optimizerStep, Path lastCheckpoint) {
    return what -> {
      String kept = lastCheckpoint == null ? "no checkpoint was written yet"
          : "the last good checkpoint " + lastCheckpoint + " (iteration "
              + RunDirectory.checkpointStep(lastCheckpoint) + ") is kept";
      return new TrainingDivergedException("training diverged at iteration " + iteration
          + " of " + options.iterations() + " (update " + (update + 1) + " of " + updates
          + "): " + what + "; stopped before the update, " + kept
          + ". Lower the learning rate or enable clipping (maxGradNorm).", optimizerStep,
          lastCheckpoint);
    };
  }

  /** Assembles {@link RolloutIterations}; only the run directory is required beyond the basics. */
  public static final class Builder<R, B> {
    private final IterationOptions options;
    private final ParameterList parameters;
    private final BufferBuilder<R> builder;
    private final BufferCodec<R> codec;
    private final UpdatePlan<R, B> plan;
    private final Objective<B> objective;
    private RunDirectory run;
    private ModelSaver saver;
    private ModelLoader loader;
    private Progress progress;
    private IterationListener listener;
    private Function<IterationMetrics, String> progressDetail;

    private Builder(IterationOptions options, ParameterList parameters, BufferBuilder<R> builder,
        BufferCodec<R> codec, UpdatePlan<R, B> plan, Objective<B> objective) {
      this.options = Objects.requireNonNull(options, "options");
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      this.builder = Objects.requireNonNull(builder, "builder");
      this.codec = Objects.requireNonNull(codec, "codec");
      this.plan = Objects.requireNonNull(plan, "plan");
      this.objective = Objects.requireNonNull(objective, "objective");
    }

    public Builder<R, B> runDirectory(RunDirectory run) {
      this.run = run;
      return this;
    }

    /** How the model is saved into and restored from a checkpoint; default {@link BlockParameters}. */
    public Builder<R, B> checkpoints(ModelSaver saver, ModelLoader loader) {
      this.saver = saver;
      this.loader = loader;
      return this;
    }

    /** Default: console progress labelled "rl", counting iterations. */
    public Builder<R, B> progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    /** What each iteration's progress line says after the count; default loss and lr. */
    public Builder<R, B> progressDetail(Function<IterationMetrics, String> detail) {
      this.progressDetail = detail;
      return this;
    }

    public Builder<R, B> listener(IterationListener listener) {
      this.listener = listener;
      return this;
    }

    public RolloutIterations<R, B> build() {
      return new RolloutIterations<>(this);
    }
  }
}
