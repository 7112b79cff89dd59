package org.reasonrl.algo;

import org.reasonrl.train.HfCheckpoints;
import org.reasonrl.train.Optimization;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.SupervisedBatches;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingResult;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.eval.Sample;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.rollout.StopReason;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.text.Tokenizer;

/**
 * The {@code reasonrl:ei} job, Expert Iteration as the study runs it: round i samples K
 * solutions per training question from π_{i-1}, keeps those with a correct final answer (or, for
 * ORM EI, those the outcome reward model scores at least the threshold), drops duplicates (by
 * whitespace-normalised text, per question), forms D_i = R_i ∪ D_{i-1}, fine-tunes π_0 (or
 * π_{i-1}) on D_i into π_i and evaluates it. Every rollout is counted, so accuracy can be plotted
 * against samples used.
 *
 * <p>The compute-matched control fine-tunes from the same start for the same number of steps on
 * the training set's reference solutions alone: at small scale, EI's gain must be told apart from
 * "more SFT". With the default restart from π_0 one control serves every round.
 *
 * <p>Resume: each round lives in {@code round-<i>/}; its kept data ({@code dataset.jsonl}) is
 * written before fine-tuning, the fine-tune resumes through {@link TrainingLoop}, and
 * {@code round.json} marks a finished round, which a rerun never redoes.
 */
public final class ExpertIteration {

  public static final String DATASET_FILE = "dataset.jsonl";
  public static final String SAMPLING_FILE = "sampling.json";
  public static final String ROUND_FILE = "round.json";
  public static final String CONTROL_FILE = "control.json";
  public static final String INITIAL_FILE = "initial.json";
  public static final String HISTORY_FILE = "ei.jsonl";
  public static final String MODEL_DIR = "model";
  private static final long CONTROL_SALT = 1_000_003L;

  private final EiSpec spec;

  public ExpertIteration(EiSpec spec) {
    this.spec = spec;
  }

  /** One kept solution of D_i: the question's index, its text and the tokens trained on. */
  public record Solution(int question, String problemId, String text, int[] tokens, int round) {}

  /** What one round's filter produced. */
  public record Selection(int accepted, List<Solution> kept, int newDistinct,
      List<Solution> dataset) {}

  /** Accuracy of a policy on the eval problems. */
  public record Scores(double maj1, double majAtK, double passAtK, int k, int problems) {

    static Scores of(EvalResult result) {
      return new Scores(result.maj1().value(), result.majAtK().value(),
          result.passAtK().value(), result.k(), result.problems());
    }
  }

  /**
   * One round's record.
   *
   * @param rollouts solutions sampled this round
   * @param cumulativeRollouts solutions sampled in rounds 1..i (the sample complexity)
   * @param accepted samples that passed the filter, duplicates included
   * @param kept |R_i|: distinct accepted solutions of this round
   * @param newDistinct solutions of R_i not already in D_{i-1}
   * @param datasetSize |D_i|
   * @param questionsCovered training questions with at least one solution in D_i
   * @param fineTuneSteps optimizer steps of this round's fine-tune
   */
  public record Round(int round, long rollouts, long cumulativeRollouts, int questions,
      int accepted, int kept, int newDistinct, int datasetSize, int questionsCovered,
      long fineTuneSteps, Scores eval, Map<String, Double> seconds) {}

  /** The compute-matched control after round {@code round}'s worth of fine-tuning. */
  public record Control(int round, long fineTuneSteps, int referenceSolutions, Scores eval) {}

  /** What an EI run produced. */
  public record Result(Scores initial, List<Round> rounds, List<Control> controls,
      Path finalModel) {}

  public Result run(Consumer<String> log) {
    RuntimeInfo runtime = EngineRuntime.ensureStarted();
    // Every input is checked before the output directory is touched.
    LlamaConfig config = Checkpoint.readConfig(spec.checkpoint());
    Path tokenizerFile = spec.checkpoint().resolve(Checkpoint.TOKENIZER);
    ProblemSet trainSet = Datasets.load(spec.dataset());
    List<Problem> questions = trainSet.problems();
    if (spec.maxQuestions() > 0 && questions.size() > spec.maxQuestions()) {
      questions = questions.subList(0, spec.maxQuestions());
    }
    List<Problem> references = trainSet.problems().stream()
        .filter(Problem::hasReferenceSolution).toList();
    if (spec.control() && references.isEmpty()) {
      throw new IllegalArgumentException("the control needs reference solutions but "
          + trainSet.source() + " has none; set control=false");
    }
    samplingFormat(spec.fewShot(), references); // fails before the run directory is touched
    List<Problem> evalProblems = Datasets.load(spec.evalDataset()).problems();
    if (spec.evalProblems() > 0 && evalProblems.size() > spec.evalProblems()) {
      evalProblems = evalProblems.subList(0, spec.evalProblems());
    }
    if (spec.ormCheckpoint() != null) {
      Checkpoint.readConfig(spec.ormCheckpoint());
    }
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Sft.checkVocabulary(config, tokenizer, spec.checkpoint());
      CausalLm model = Checkpoint.load(spec.checkpoint(), manager);
      OutcomeRewardModel orm = spec.ormCheckpoint() == null ? null
          : OutcomeRewardModel.load(spec.ormCheckpoint(), manager);
      try (RunDirectory run = RunDirectory.open(spec.output())) {
        RunRecord record = new RunRecord(run, "ei", runtime, spec.seed(), spec);
        try {
          Result result = new Job(run, record, model, orm, tokenizer, tokenizerFile, questions,
              references, evalProblems, log).run(manager);
          record.finish("completed");
          return result;
        } catch (RuntimeException e) {
          record.finish("failed: " + e.getMessage());
          throw e;
        }
      }
    }
  }

  /**
   * The round's filter: among finished rollouts ({@code stop != MAX_TOKENS}) that are
   * {@code accepted}, keep one per distinct normalised text and question, add the ones
   * {@code previous} lacks.
   *
   * @param accepted per rollout, whether it passed the correctness (or ORM) filter
   * @param eosId appended to solutions that stopped at their answer line, so the model learns
   *     to stop
   */
  public static Selection select(List<Problem> questions, List<Rollout> rollouts,
      boolean[] accepted, List<Solution> previous, int round, int eosId) {
    Set<String> known = new HashSet<>();
    for (Solution s : previous) {
      known.add(key(s.question(), s.text()));
    }
    Map<String, Solution> kept = new LinkedHashMap<>();
    int acceptedCount = 0;
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      if (!accepted[i] || rollout.stop() == StopReason.MAX_TOKENS) {
        continue;
      }
      acceptedCount++;
      String key = key(rollout.promptIndex(), rollout.completion());
      if (!kept.containsKey(key)) {
        int[] tokens = rollout.tokens();
        if (tokens.length == 0 || tokens[tokens.length - 1] != eosId) {
          tokens = Arrays.copyOf(tokens, tokens.length + 1);
          tokens[tokens.length - 1] = eosId;
        }
        kept.put(key, new Solution(rollout.promptIndex(),
            questions.get(rollout.promptIndex()).id(), rollout.completion(), tokens, round));
      }
    }
    List<Solution> dataset = new ArrayList<>(previous);
    int fresh = 0;
    for (Map.Entry<String, Solution> entry : kept.entrySet()) {
      if (known.add(entry.getKey())) {
        dataset.add(entry.getValue());
        fresh++;
      }
    }
    return new Selection(acceptedCount, List.copyOf(kept.values()), fresh, dataset);
  }

  /** Duplicates are the same question with the same text up to whitespace. */
  static String key(int question, String text) {
    return question + "\u0000" + text.strip().replaceAll("\\s+", " ");
  }

  private final class Job {
    private final RunDirectory run;
    private final RunRecord record;
    private final CausalLm model;
    private final OutcomeRewardModel orm;
    private final Tokenizer tokenizer;
    private final Path tokenizerFile;
    private final List<Problem> questions;
    private final List<Problem> references;
    private final List<Problem> evalProblems;
    private final Consumer<String> log;
    private final PromptFormat format = PromptFormat.zeroShot();
    private final List<Round> rounds = new ArrayList<>();
    private final List<Control> controls = new ArrayList<>();

    Job(RunDirectory run, RunRecord record, CausalLm model, OutcomeRewardModel orm,
        Tokenizer tokenizer, Path tokenizerFile, List<Problem> questions,
        List<Problem> references, List<Problem> evalProblems, Consumer<String> log) {
      this.run = run;
      this.record = record;
      this.model = model;
      this.orm = orm;
      this.tokenizer = tokenizer;
      this.tokenizerFile = tokenizerFile;
      this.questions = questions;
      this.references = references;
      this.evalProblems = evalProblems;
      this.log = log;
    }

    Result run(NDManager manager) {
      log.accept(String.format(Locale.ROOT, "Expert Iteration from %s: %d rounds, K=%d at T=%s"
              + " on %d questions, %s filter, %s, %d fine-tune steps a round%s",
          spec.checkpoint(), spec.rounds(), spec.k(), spec.temperature(), questions.size(),
          orm == null ? "final-answer" : "ORM >= " + spec.ormThreshold(),
          spec.continueTraining() ? "continuing from the previous policy" : "restarting from π_0",
          spec.optimization().steps(), spec.control() ? ", with compute-matched control" : ""));
      Scores initial = readOr(run.resolve(INITIAL_FILE), Scores.class, () -> {
        Scores scores = record.stage("eval", () -> evaluate("π_0"));
        run.writeJson(INITIAL_FILE, scores);
        return scores;
      });
      List<Solution> previous = List.of();
      for (int i = 1; i <= spec.rounds(); i++) {
        Round round = round(i, previous, manager);
        rounds.add(round);
        previous = readDataset(roundDir(i).resolve(DATASET_FILE));
        if (spec.control() && (i == 1 || spec.continueTraining())) {
          controls.add(control(i, manager));
        }
        writeHistory(initial);
      }
      if (spec.rounds() == 0) {
        // The control alone: identical (same start, data, steps and seed) to the one a run with
        // rounds would train, so it can run in parallel with them.
        controls.add(control(1, manager));
      }
      Path finalModel = spec.rounds() == 0 ? controlDir(1) : roundDir(spec.rounds());
      Result result = new Result(initial, rounds, controls, finalModel.resolve(MODEL_DIR));
      run.writeResult(result);
      return result;
    }

    private Path roundDir(int i) {
      return run.resolve("round-" + i);
    }

    private Path controlDir(int i) {
      return run.resolve("control-" + i);
    }

    private Round round(int i, List<Solution> previous, NDManager manager) {
      Path dir = roundDir(i);
      if (Files.exists(dir.resolve(ROUND_FILE))) {
        Round done = read(dir.resolve(ROUND_FILE), Round.class);
        log.accept("Round " + i + " already done: maj@1 " + fmt(done.eval().maj1()));
        return done;
      }
      Map<String, Double> seconds = new LinkedHashMap<>();
      try (RunDirectory roundRun = RunDirectory.open(dir)) {
        Selection selection;
        if (Files.exists(dir.resolve(SAMPLING_FILE))) {
          selection = read(dir.resolve(SAMPLING_FILE), Selection.class);
          selection = new Selection(selection.accepted(), selection.kept(),
              selection.newDistinct(), readDataset(dir.resolve(DATASET_FILE)));
        } else {
          long start = System.nanoTime();
          load(i == 1 ? spec.checkpoint() : roundDir(i - 1).resolve(MODEL_DIR));
          selection = sampleAndSelect(i, previous);
          roundRun.writeJsonLines(DATASET_FILE, selection.dataset());
          // The dataset is written first: sampling.json marks the pair complete.
          roundRun.writeJson(SAMPLING_FILE, new Selection(selection.accepted(), selection.kept(),
              selection.newDistinct(), List.of()));
          seconds.put("sampling", elapsed(start));
          record.recordStage("sampling", Duration.ofNanos(System.nanoTime() - start));
        }
        if (selection.dataset().isEmpty()) {
          throw new IllegalStateException("EI round " + i + " kept no solution from "
              + (long) questions.size() * spec.k() + " samples; the policy solves none of the"
              + " training questions (raise K or the temperature, or start from SFT)");
        }
        Path start = spec.continueTraining() && i > 1 ? roundDir(i - 1).resolve(MODEL_DIR)
            : spec.checkpoint();
        List<TokenizedExample> examples = new ArrayList<>(selection.dataset().size());
        for (Solution s : selection.dataset()) {
          examples.add(new TokenizedExample(PromptFormat.encodePrompt(tokenizer,
              format.prompt(questions.get(s.question()).question())), s.tokens()));
        }
        long t = System.nanoTime();
        long steps = fineTune(roundRun, start, examples, ShuffledOrder.mix(spec.seed(), i),
            "ei round " + i, manager);
        seconds.put("training", elapsed(t));
        record.recordStage("training", Duration.ofNanos(System.nanoTime() - t));
        t = System.nanoTime();
        Scores scores = evaluate("π_" + i);
        seconds.put("eval", elapsed(t));
        record.recordStage("eval", Duration.ofNanos(System.nanoTime() - t));
        long rollouts = (long) questions.size() * spec.k();
        Set<Integer> covered = new HashSet<>();
        selection.dataset().forEach(s -> covered.add(s.question()));
        Round round = new Round(i, rollouts, rollouts * i, questions.size(),
            selection.accepted(), selection.kept().size(), selection.newDistinct(),
            selection.dataset().size(), covered.size(), steps, scores, seconds);
        roundRun.writeJson(ROUND_FILE, round);
        log.accept(String.format(Locale.ROOT, "EI round %d: %d rollouts (%d total), |R|=%d"
                + " (%d new), |D|=%d covering %d/%d questions; maj@1 %s maj@%d %s pass@%d %s",
            i, rollouts, rollouts * i, round.kept(), round.newDistinct(), round.datasetSize(),
            covered.size(), questions.size(), fmt(scores.maj1()), scores.k(),
            fmt(scores.majAtK()), scores.k(), fmt(scores.passAtK())));
        return round;
      }
    }

    private Selection sampleAndSelect(int i, List<Solution> previous) {
      PromptFormat sampling = samplingFormat(spec.fewShot(), references);
      List<String> prompts = questions.stream().map(p -> sampling.prompt(p.question())).toList();
      Progress progress = Progress.lines("ei round " + i + " sampling",
          (long) prompts.size() * spec.k(), "solutions", log);
      long[] done = {0};
      List<Rollout> rollouts = new Sampler(model, tokenizer).sample(prompts, spec.k(),
          new SamplingOptions(spec.temperature(), 1.0, spec.maxNewTokens(), spec.samplingBatch(),
              true), ShuffledOrder.mix(spec.seed(), i), n -> {
                done[0] += n;
                progress.update(done[0], "");
              });
      boolean[] accepted = new boolean[rollouts.size()];
      if (orm == null) {
        for (int r = 0; r < rollouts.size(); r++) {
          Rollout rollout = rollouts.get(r);
          accepted[r] = Sample.judge(rollout.completion(),
              questions.get(rollout.promptIndex()).answer(), null).correct();
        }
      } else {
        List<int[]> sequences = rollouts.stream().map(Rollout::sequence).toList();
        double[] scores = orm.scoreFinal(sequences, spec.samplingBatch(),
            Math.max(tokenizer.padId(), 0));
        for (int r = 0; r < scores.length; r++) {
          accepted[r] = scores[r] >= spec.ormThreshold();
        }
      }
      return select(questions, rollouts, accepted, previous, i, tokenizer.eosId());
    }

    private Control control(int i, NDManager manager) {
      Path dir = controlDir(i);
      if (Files.exists(dir.resolve(CONTROL_FILE))) {
        return read(dir.resolve(CONTROL_FILE), Control.class);
      }
      try (RunDirectory controlRun = RunDirectory.open(dir)) {
        Path start = spec.continueTraining() && i > 1
            ? controlDir(i - 1).resolve(MODEL_DIR) : spec.checkpoint();
        List<TokenizedExample> examples = new ArrayList<>(references.size());
        for (Problem p : references) {
          TokenizedExample example = TokenizedExample.of(tokenizer, format, p.question(),
              p.referenceSolution());
          if (example.length() <= model.config().maxPositionEmbeddings()) {
            examples.add(example);
          }
        }
        long t = System.nanoTime();
        long steps = fineTune(controlRun, start, examples,
            ShuffledOrder.mix(spec.seed(), CONTROL_SALT, i), "control " + i, manager);
        record.recordStage("control-training", Duration.ofNanos(System.nanoTime() - t));
        Scores scores = record.stage("control-eval", () -> evaluate("control " + i));
        Control control = new Control(i, steps, examples.size(), scores);
        controlRun.writeJson(CONTROL_FILE, control);
        log.accept(String.format(Locale.ROOT, "Control %d (%d steps of SFT data): maj@1 %s"
                + " maj@%d %s pass@%d %s", i, steps, fmt(scores.maj1()), scores.k(),
            fmt(scores.majAtK()), scores.k(), fmt(scores.passAtK())));
        return control;
      }
    }

    /** Fine-tunes from {@code start} in {@code dir}, writes {@code dir/model}; returns steps. */
    private long fineTune(RunDirectory dir, Path start, List<TokenizedExample> examples,
        long seed, String label, NDManager manager) {
      load(start);
      Optimization optimization = spec.optimization();
      HfCheckpoints checkpoints = new HfCheckpoints(model, tokenizerFile);
      TrainingResult result = TrainingLoop.builder(optimization.trainingOptions(seed),
              model.getParameters(),
              SupervisedBatches.source(examples, seed, optimization.batchSize(),
                  optimization.microBatchSize(), Math.max(tokenizer.padId(), 0)),
              SupervisedBatches.objective(model))
          .runDirectory(dir)
          .checkpoints(checkpoints, checkpoints)
          .progress(Progress.lines(label, optimization.steps(), "steps", log))
          .build()
          .run(manager);
      dir.writeDirectory(MODEL_DIR, d -> Checkpoint.save(model, d, tokenizerFile));
      return result.steps();
    }

    private Scores evaluate(String what) {
      EvalOptions options = new EvalOptions(spec.evalK(), spec.evalK(), spec.evalTemperature(),
          1.0, spec.maxNewTokens(), spec.samplingBatch(), true, spec.seed(),
          Sft.BOOTSTRAP_RESAMPLES);
      Scores scores = Scores.of(new Evaluator(model, tokenizer, format, null)
          .evaluate(evalProblems, options, log).result());
      log.accept(String.format(Locale.ROOT, "eval %s on %d problems: maj@1 %s maj@%d %s"
              + " pass@%d %s", what, scores.problems(), fmt(scores.maj1()), scores.k(),
          fmt(scores.majAtK()), scores.k(), fmt(scores.passAtK())));
      return scores;
    }

    private void load(Path checkpoint) {
      try {
        HfCheckpoints.copyInto(model, checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load " + checkpoint, e);
      }
    }

    private void writeHistory(Scores initial) {
      Map<String, Object> start = new LinkedHashMap<>();
      start.put("round", 0);
      start.put("cumulativeRollouts", 0);
      start.put("eval", initial);
      List<Object> lines = new ArrayList<>();
      lines.add(start);
      lines.addAll(rounds);
      run.writeJsonLines(HISTORY_FILE, lines);
    }
  }

  /**
   * The prompt format of the rounds' sampling: zero-shot, or the first {@code shots} reference
   * solutions as worked exemplars (a question that is itself an exemplar sees its own solution;
   * with thousands of questions that is negligible).
   */
  static PromptFormat samplingFormat(int shots, List<Problem> references) {
    if (shots == 0) {
      return PromptFormat.zeroShot();
    }
    if (references.size() < shots) {
      throw new IllegalArgumentException(shots + "-shot sampling needs " + shots
          + " reference solutions but the training set has " + references.size());
    }
    return PromptFormat.fewShot(references.subList(0, shots));
  }

  static List<Solution> readDataset(Path file) {
    try (MappingIterator<Solution> it = Json.mapper().readerFor(Solution.class)
        .readValues(file.toFile())) {
      return it.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static <T> T read(Path file, Class<T> type) {
    try {
      return Json.mapper().readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static <T> T readOr(Path file, Class<T> type, java.util.function.Supplier<T> make) {
    return Files.exists(file) ? read(file, type) : make.get();
  }

  private static double elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
