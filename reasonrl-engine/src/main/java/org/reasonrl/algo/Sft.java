package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.reasonrl.data.ContextFit;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.HfCheckpoints;
import org.reasonrl.train.LoopControl;
import org.reasonrl.train.Optimization;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.SupervisedBatches;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingState;

/**
 * The {@code reasonrl:sft} job: supervised fine-tuning on reference solutions (loss on the
 * solution only), validated every {@code evalEvery} steps on a held-out split of the training
 * problems (greedy maj@1, maj@K and pass@K from K samples, validation loss), keeping the best
 * model by maj@1 in {@code output/best} and stopping after {@code patience} validations without
 * improvement. The starting model is validated too (step 0). The validation history,
 * {@code validation.jsonl}, shows the SFT trade-off. The best model is published as
 * {@code output/model}.
 *
 * <p>Resume: validations coincide with checkpoints, and the validation history, best score and
 * early-stopping counter live in {@code sft-state.json}, rewritten atomically after each
 * validation; a validation lost to a kill after its checkpoint is redone from that checkpoint.
 * A rerun therefore ends exactly where an uninterrupted run would.
 */
public final class Sft implements Job<Sft.Result> {

  public static final String BEST_DIR = "best";
  public static final String STATE_FILE = "sft-state.json";
  public static final String VALIDATION_FILE = "validation.jsonl";
  static final int BOOTSTRAP_RESAMPLES = 200;
  private static final long SPLIT_SALT = 0x5F7L;

  private final SftSpec spec;
  private Data data;
  private PolicyCheckpoint policy;

  public Sft(SftSpec spec) {
    this.spec = spec;
  }

  /**
   * One validation.
   *
   * @param trainLoss the last training step's loss; {@code null} at step 0 (nothing trained yet)
   */
  public record Validation(long step, double epoch, Double trainLoss, double validationLoss,
      double maj1, double majAtK, double passAtK, int k, boolean best) {}

  /** What {@code sft-state.json} holds. */
  public record State(List<Validation> validations, long bestStep, double bestMaj1,
      int sinceBest, boolean stoppedEarly, boolean finished) {

    static State initial() {
      return new State(List.of(), -1, -1, 0, false, false);
    }
  }

  /** What an SFT run produced. */
  public record Result(Path model, Path best, long bestStep, double bestMaj1, boolean stoppedEarly,
      long lastStep, int trainProblems, int validationProblems, int droppedTooLong,
      List<Validation> validations) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("sft", spec.output(), spec, spec.seed(), Result.class);
  }

  @Override
  public void validate() {
    Data all = prepareData(spec);
    policy = PolicyCheckpoint.check(spec.checkpoint());
    data = all.fitting(policy, spec.dataset().failOnBadRecord());
  }

  @Override
  public Result run(JobContext context) {
    try (Tokenizer tokenizer = policy.openTokenizer();
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Examples train = examples(data.train(), tokenizer);
      Examples validation = examples(data.validation(), tokenizer);
      CausalLm model = Checkpoint.load(policy.dir(), manager);
      return new Run(context.run(), context.record(), model, tokenizer, policy.tokenizerFile(),
          train, validation, data, context.log()).run(manager);
    }
  }

  /**
   * The problems to train and validate on.
   *
   * @param validationSource where the validation problems come from (the train source when
   *     carved from it)
   * @param tooLong problems skipped as longer than the model's context
   */
  record Data(List<Problem> train, List<Problem> validation, String source,
      String validationSource, int tooLong) {

    Data(List<Problem> train, List<Problem> validation, String source) {
      this(train, validation, source, source, 0);
    }

    /** The problems that fit the model's context; over-long ones are bad records. */
    Data fitting(PolicyCheckpoint policy, boolean failOnBadRecord) {
      ContextFit.Fitted fitTrain = policy.fittingExamples(train, source, failOnBadRecord);
      ContextFit.Fitted fitValidation = policy.fittingExamples(validation, validationSource,
          failOnBadRecord);
      return new Data(fitTrain.problems(), fitValidation.problems(), source, validationSource,
          fitTrain.skipped().size() + fitValidation.skipped().size());
    }
  }

  private record Examples(List<TokenizedExample> examples, List<Problem> problems) {}

  /**
   * Train and validation problems: the dataset's own validation split when it has one (its first
   * {@code validationProblems}), else {@code validationProblems} carved from train by a seeded
   * permutation.
   */
  static Data prepareData(SftSpec spec) {
    ProblemSet set = Datasets.load(spec.dataset());
    List<Problem> problems = set.problems().stream().filter(Problem::hasReferenceSolution)
        .toList();
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("dataset " + set.source() + " has no problems with"
          + " reference solutions to fine-tune on");
    }
    if (spec.maxTrainProblems() > 0 && problems.size() > spec.maxTrainProblems()) {
      problems = problems.subList(0, spec.maxTrainProblems());
    }
    if (spec.dataset().hasValidationSplit()) {
      // The dataset's own held-out split (synthetic-v2: twin-free with train and test).
      ProblemSet heldSet = Datasets.load(spec.dataset().withSplit("validation"));
      List<Problem> held = heldSet.problems().stream().filter(Problem::hasReferenceSolution)
          .toList();
      if (spec.validationProblems() > 0 && held.size() > spec.validationProblems()) {
        held = held.subList(0, spec.validationProblems());
      }
      if (held.isEmpty()) {
        throw new IllegalArgumentException("the validation split of " + set.source()
            + " has no problems");
      }
      return new Data(problems, held, set.source(), heldSet.source(), 0);
    }
    if (spec.validationProblems() >= problems.size()) {
      throw new IllegalArgumentException("validationProblems (" + spec.validationProblems()
          + ") must be fewer than the " + problems.size() + " training problems of "
          + set.source());
    }
    return split(problems, spec.validationProblems(), spec.seed(), set.source());
  }

  /** A seeded permutation; its first {@code held} problems validate, the rest train. */
  static Data split(List<Problem> problems, int held, long seed, String source) {
    int[] order = ShuffledOrder.permutation(ShuffledOrder.mix(seed, SPLIT_SALT), problems.size());
    List<Problem> validation = new ArrayList<>(held);
    List<Problem> train = new ArrayList<>(problems.size() - held);
    for (int i = 0; i < order.length; i++) {
      (i < held ? validation : train).add(problems.get(order[i]));
    }
    return new Data(train, validation, source);
  }

  private static Examples examples(List<Problem> problems, Tokenizer tokenizer) {
    PromptFormat format = PromptFormat.zeroShot();
    List<TokenizedExample> examples = problems.stream().map(problem -> TokenizedExample.of(
        tokenizer, format, problem.question(), problem.referenceSolution())).toList();
    return new Examples(examples, problems);
  }

  /** One run in an open run directory. */
  private final class Run {
    private final RunDirectory run;
    private final RunRecord record;
    private final CausalLm model;
    private final Tokenizer tokenizer;
    private final Path tokenizerFile;
    private final Examples train;
    private final Examples validation;
    private final Data data;
    private final Consumer<String> log;
    private final Optimization optimization;
    private State state;

    Run(RunDirectory run, RunRecord record, CausalLm model, Tokenizer tokenizer,
        Path tokenizerFile, Examples train, Examples validation, Data data,
        Consumer<String> log) {
      this.run = run;
      this.record = record;
      this.model = model;
      this.tokenizer = tokenizer;
      this.tokenizerFile = tokenizerFile;
      this.train = train;
      this.validation = validation;
      this.data = data;
      this.log = log;
      // Validations must coincide with checkpoints for an exact resume.
      this.optimization = spec.optimization().withCheckpointEvery(spec.evalEvery());
    }

    Result run(NDManager manager) {
      state = readState();
      if (state.finished()) {
        log.accept("SFT already finished in " + run.root() + "; best step " + state.bestStep());
        return result();
      }
      log.accept(String.format(Locale.ROOT, "SFT of %s on %d problems of %s (%d held out),"
              + " up to %d steps of %d, validating every %d", spec.checkpoint(),
          train.examples().size(), data.source(), validation.examples().size(),
          optimization.steps(), optimization.batchSize(), spec.evalEvery()));
      Optional<Path> latest = run.latestCheckpoint();
      if (latest.isEmpty() && state.validations().isEmpty()) {
        // Step 0: the starting model, the origin of the SFT trade-off curves.
        validate(0, null, manager);
      }
      if (latest.isPresent()) {
        long step = RunDirectory.checkpointStep(latest.get());
        log.accept("SFT resumed from step " + step + " (" + latest.get() + ")");
        state = dropAfter(state, step);
        if (isValidationStep(step) && state.validations().stream()
            .noneMatch(v -> v.step() == step)) {
          // Killed between the checkpoint and its validation: redo it from the checkpoint.
          copyInto(latest.get());
          validate(step, lastLoss(latest.get()), manager);
        }
      }
      if (!state.stoppedEarly()) {
        int pad = Math.max(tokenizer.padId(), 0);
        HfCheckpoints checkpoints = new HfCheckpoints(model, tokenizerFile);
        TrainingLoop<SequenceBatch> loop = TrainingLoop.builder(
                optimization.trainingOptions(spec.seed()), model.getParameters(),
                SupervisedBatches.source(train.examples(), spec.seed(),
                    optimization.batchSize(), optimization.microBatchSize(), pad),
                SupervisedBatches.objective(model))
            .runDirectory(run)
            .checkpoints(checkpoints, checkpoints)
            .progress(Progress.lines("sft", optimization.steps(), "steps", log))
            .listener(metrics -> {
              if (isValidationStep(metrics.step())) {
                validate(metrics.step(), metrics.loss(), manager);
              }
              return state.stoppedEarly() ? LoopControl.STOP : LoopControl.CONTINUE;
            })
            .build();
        if (record.stage("train", () -> loop.run(manager)).stopped()) {
          log.accept("Early stop: " + spec.patience() + " validations without a better maj@1");
        }
      }
      state = new State(state.validations(), state.bestStep(), state.bestMaj1(),
          state.sinceBest(), state.stoppedEarly(), true);
      writeState();
      PublishedModel.publish(run, run.resolve(BEST_DIR));
      Result result = result();
      log.accept(String.format(Locale.ROOT, "SFT done: best validation maj@1 %.3f at step %d;"
          + " model in %s", state.bestMaj1(), state.bestStep(), result.best()));
      return result;
    }

    private boolean isValidationStep(long step) {
      return step % spec.evalEvery() == 0 || step == optimization.steps();
    }

    private void validate(long step, Double trainLoss, NDManager manager) {
      long start = System.nanoTime();
      double validationLoss = SupervisedBatches.meanLoss(model, validation.examples(),
          optimization.microBatchSize(), Math.max(tokenizer.padId(), 0), manager);
      EvalOptions options = EvalOptions.of(spec.validation(), spec.seed(), BOOTSTRAP_RESAMPLES);
      EvalResult result = new Evaluator(model, tokenizer, PromptFormat.zeroShot(), null)
          .evaluate(validation.problems(), options, line -> { }).result();
      double maj1 = result.maj1().value();
      boolean best = maj1 > state.bestMaj1();
      if (best) {
        run.writeDirectory(BEST_DIR, dir -> Checkpoint.save(model, dir, tokenizerFile));
      }
      double epoch = (double) step * optimization.batchSize() / train.examples().size();
      Validation v = new Validation(step, epoch, trainLoss, validationLoss, maj1,
          result.majAtK().value(), result.passAtK().value(), spec.validation().k(), best);
      List<Validation> all = new ArrayList<>(state.validations());
      all.add(v);
      int since = best ? 0 : state.sinceBest() + 1;
      boolean stop = spec.patience() > 0 && since >= spec.patience();
      state = new State(all, best ? step : state.bestStep(), best ? maj1 : state.bestMaj1(),
          since, stop, false);
      writeState();
      record.recordStage("validation", java.time.Duration.ofNanos(System.nanoTime() - start));
      log.accept(String.format(Locale.ROOT, "sft validation step %d (epoch %.2f): loss %.4f"
              + " maj@1 %.3f maj@%d %.3f pass@%d %.3f%s", step, epoch, validationLoss, maj1,
          spec.validation().k(), v.majAtK(), spec.validation().k(), v.passAtK(),
          best ? " (best)" : ""));
    }

    private void copyInto(Path checkpoint) {
      try {
        HfCheckpoints.copyInto(model, checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load " + checkpoint, e);
      }
    }

    private double lastLoss(Path checkpoint) {
      try {
        return Json.mapper().readValue(checkpoint.resolve(TrainingLoop.STATE_FILE).toFile(),
            TrainingState.class).lastLoss();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + checkpoint, e);
      }
    }

    private State readState() {
      Path file = run.resolve(STATE_FILE);
      if (!Files.exists(file)) {
        return State.initial();
      }
      try {
        return Json.mapper().readValue(file.toFile(), State.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    private void writeState() {
      run.writeJson(STATE_FILE, state);
      run.writeJsonLines(VALIDATION_FILE, state.validations());
    }

    private Result result() {
      long last = state.validations().isEmpty() ? 0
          : state.validations().get(state.validations().size() - 1).step();
      return new Result(run.resolve(PublishedModel.DIR), run.resolve(BEST_DIR), state.bestStep(),
          state.bestMaj1(),
          state.stoppedEarly(), last, train.examples().size(), validation.examples().size(),
          data.tooLong(), state.validations());
    }
  }

  /** Validations after {@code step} belong to a future the resumed run will redo. */
  private static State dropAfter(State state, long step) {
    List<Validation> kept = state.validations().stream().filter(v -> v.step() <= step).toList();
    if (kept.size() == state.validations().size()) {
      return state;
    }
    // Best and patience are recomputed from the kept history.
    long bestStep = -1;
    double bestMaj1 = -1;
    int since = 0;
    for (Validation v : kept) {
      if (v.maj1() > bestMaj1) {
        bestMaj1 = v.maj1();
        bestStep = v.step();
        since = 0;
      } else {
        since++;
      }
    }
    return new State(kept, bestStep, bestMaj1, since, false, false);
  }
}
