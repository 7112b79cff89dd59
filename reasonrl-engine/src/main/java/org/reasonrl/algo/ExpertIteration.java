package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.reward.CorrectnessReward;
import org.reasonrl.reward.OrmFinalReward;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.reward.RewardFunction;
import org.reasonrl.reward.TokenRewards;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.TokenizedExample;

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
 * written before fine-tuning, the fine-tune resumes through {@code TrainingLoop}, and
 * {@code round.json} marks a finished round, which a rerun never redoes. The final policy is
 * published at {@code <output>/model}.
 */
public final class ExpertIteration implements Job<ExpertIteration.Result> {

  public static final String DATASET_FILE = "dataset.jsonl";
  public static final String SAMPLING_FILE = "sampling.json";
  public static final String ROUND_FILE = "round.json";
  public static final String CONTROL_FILE = "control.json";
  public static final String INITIAL_FILE = "initial.json";
  public static final String HISTORY_FILE = "ei.jsonl";
  public static final String MODEL_DIR = PublishedModel.DIR;
  private static final long CONTROL_SALT = 1_000_003L;
  private static final int BOOTSTRAP_RESAMPLES = 200;

  private final EiSpec spec;
  private Inputs inputs;

  public ExpertIteration(EiSpec spec) {
    this.spec = spec;
  }

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
   * @param fineTuneExamples what the round's fine-tune trained on: |D_i|, plus the sampled
   *     questions' references not already in it when {@link EiFineTuning#withReferences()}
   * @param fineTuneSteps optimizer steps of this round's fine-tune
   */
  public record Round(int round, long rollouts, long cumulativeRollouts, int questions,
      int accepted, int kept, int newDistinct, int datasetSize, int questionsCovered,
      int fineTuneExamples, long fineTuneSteps, Scores eval, Map<String, Double> seconds) {}

  /** The compute-matched control after round {@code round}'s worth of fine-tuning. */
  public record Control(int round, long fineTuneSteps, int referenceSolutions, Scores eval) {}

  /** What an EI run produced; {@code finalModel} is the published {@code <output>/model}. */
  public record Result(Scores initial, List<Round> rounds, List<Control> controls,
      Path finalModel) {}

  /**
   * The checked inputs.
   *
   * @param references the training set's fitting reference solutions (the exemplars' source)
   * @param referenced indexes into {@code questions} of the sampled questions with a fitting
   *     reference: the control's data, and what the RFT-style arm adds to D_i
   */
  private record Inputs(PolicyCheckpoint policy, List<Problem> questions,
      List<Problem> references, List<Integer> referenced, List<Problem> evalProblems) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("ei", spec.output(), spec, spec.seed(), Result.class);
  }

  @Override
  public void validate() {
    PolicyCheckpoint policy = PolicyCheckpoint.check(spec.checkpoint());
    ProblemSet trainSet = Datasets.load(spec.dataset());
    List<Problem> questions = trainSet.problems();
    if (spec.maxQuestions() > 0 && questions.size() > spec.maxQuestions()) {
      questions = questions.subList(0, spec.maxQuestions());
    }
    List<Problem> references = trainSet.problems().stream()
        .filter(Problem::hasReferenceSolution).toList();
    boolean failOnBadRecord = spec.dataset().failOnBadRecord();
    if (!references.isEmpty()) {
      // The control trains on them; exemplars come from them.
      references = policy.fittingExamples(references, trainSet.source(), failOnBadRecord)
          .problems();
    }
    // Every round samples them; the first with its exemplars, if any.
    questions = policy.fittingPrompts(questions, trainSet.source(),
        samplingFormat(spec.fewShot(), references), failOnBadRecord).problems();
    Set<String> fittingReference = new HashSet<>();
    references.forEach(p -> fittingReference.add(p.id()));
    List<Integer> referenced = new ArrayList<>();
    for (int q = 0; q < questions.size(); q++) {
      if (fittingReference.contains(questions.get(q).id())) {
        referenced.add(q);
      }
    }
    if ((spec.control() || spec.fineTuning().withReferences()) && referenced.isEmpty()) {
      throw new IllegalArgumentException((spec.control() ? "the control" : "withReferences")
          + " needs reference solutions of the sampled questions but " + trainSet.source()
          + " has none" + (spec.control() ? "; set control=false" : ""));
    }
    ProblemSet evalSet = Datasets.load(spec.evalDataset());
    List<Problem> evalProblems = evalSet.problems();
    if (spec.evalProblems() > 0 && evalProblems.size() > spec.evalProblems()) {
      evalProblems = evalProblems.subList(0, spec.evalProblems());
    }
    evalProblems = policy.fittingPrompts(evalProblems, evalSet.source(),
        PromptFormat.zeroShot(), spec.evalDataset().failOnBadRecord()).problems();
    if (spec.ormCheckpoint() != null) {
      PolicyCheckpoint.checkOrm(spec.ormCheckpoint());
    }
    inputs = new Inputs(policy, questions, references, List.copyOf(referenced), evalProblems);
  }

  @Override
  public Result run(JobContext context) {
    try (Tokenizer tokenizer = inputs.policy().openTokenizer();
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = Checkpoint.load(inputs.policy().dir(), manager);
      OutcomeRewardModel orm = spec.ormCheckpoint() == null ? null
          : OutcomeRewardModel.load(spec.ormCheckpoint(), manager);
      return new Run(context, model, orm, tokenizer).run(manager);
    }
  }

  /** One run in the open run directory. */
  private final class Run {
    private final JobContext context;
    private final RunDirectory run;
    private final RunRecord record;
    private final CausalLm model;
    private final OutcomeRewardModel orm;
    private final Tokenizer tokenizer;
    private final FineTune fineTune;
    private final List<Problem> questions = inputs.questions();
    private final Consumer<String> log;
    private final PromptFormat format = PromptFormat.zeroShot();
    private final List<Round> rounds = new ArrayList<>();
    private final List<Control> controls = new ArrayList<>();

    Run(JobContext context, CausalLm model, OutcomeRewardModel orm, Tokenizer tokenizer) {
      this.context = context;
      this.run = context.run();
      this.record = context.record();
      this.model = model;
      this.orm = orm;
      this.tokenizer = tokenizer;
      this.log = context.log();
      this.fineTune = new FineTune(model, inputs.policy().tokenizerFile(),
          Math.max(tokenizer.padId(), 0), spec.optimization());
    }

    Result run(NDManager manager) {
      EiFineTuning tuning = spec.fineTuning();
      log.accept(String.format(Locale.ROOT, "Expert Iteration from %s: %d rounds, K=%d at T=%s"
              + " on %d questions, %s%s filter, %s, %s a round on %s%s",
          spec.checkpoint(), spec.rounds(), spec.rollout().k(), spec.rollout().temperature(),
          questions.size(), tuning.strictFilter() ? "strict " : "",
          orm == null ? "final-answer" : "ORM >= " + spec.ormThreshold(),
          spec.continueTraining() ? "continuing from the previous policy" : "restarting from π_0",
          tuning.inEpochs() ? tuning.epochs() + " epochs"
              : spec.optimization().steps() + " fine-tune steps",
          tuning.withReferences() ? "D_i ∪ references" : "D_i",
          spec.control() ? ", with compute-matched control" : ""));
      Scores initial = context.memo(INITIAL_FILE, Scores.class,
          () -> record.stage("eval", () -> evaluate("π_0")));
      List<SolutionFilter.Solution> previous = List.of();
      for (int i = 1; i <= spec.rounds(); i++) {
        Round round = round(i, previous, manager);
        rounds.add(round);
        previous = SolutionFilter.readDataset(roundDir(i).resolve(DATASET_FILE));
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
      Path last = spec.rounds() == 0 ? controlDir(1) : roundDir(spec.rounds());
      Path finalModel = PublishedModel.publish(run, last.resolve(MODEL_DIR));
      return new Result(initial, rounds, controls, finalModel);
    }

    private Path roundDir(int i) {
      return run.resolve("round-" + i);
    }

    private Path controlDir(int i) {
      return run.resolve("control-" + i);
    }

    private Round round(int i, List<SolutionFilter.Solution> previous, NDManager manager) {
      Path dir = roundDir(i);
      if (Files.exists(dir.resolve(ROUND_FILE))) {
        Round done = JobContext.read(dir.resolve(ROUND_FILE), Round.class);
        log.accept("Round " + i + " already done: maj@1 " + fmt(done.eval().maj1()));
        return done;
      }
      Map<String, Double> seconds = new LinkedHashMap<>();
      try (RunDirectory roundRun = RunDirectory.open(dir)) {
        SolutionFilter.Selection selection;
        if (Files.exists(dir.resolve(SAMPLING_FILE))) {
          selection = JobContext.read(dir.resolve(SAMPLING_FILE), SolutionFilter.Selection.class);
          selection = new SolutionFilter.Selection(selection.accepted(), selection.kept(),
              selection.newDistinct(), SolutionFilter.readDataset(dir.resolve(DATASET_FILE)));
        } else {
          long start = System.nanoTime();
          fineTune.load(i == 1 ? spec.checkpoint() : roundDir(i - 1).resolve(MODEL_DIR));
          selection = sampleAndSelect(i, previous);
          roundRun.writeJsonLines(DATASET_FILE, selection.dataset());
          // The dataset is written first: sampling.json marks the pair complete.
          roundRun.writeJson(SAMPLING_FILE, new SolutionFilter.Selection(selection.accepted(),
              selection.kept(), selection.newDistinct(), List.of()));
          seconds.put("sampling", elapsed(start));
          record.recordStage("sampling", Duration.ofNanos(System.nanoTime() - start));
        }
        if (selection.dataset().isEmpty()) {
          throw new IllegalStateException("EI round " + i + " kept no solution from "
              + (long) questions.size() * spec.rollout().k() + " samples; the policy solves none of the"
              + " training questions (raise K or the temperature, or start from SFT)");
        }
        Path start = spec.continueTraining() && i > 1 ? roundDir(i - 1).resolve(MODEL_DIR)
            : spec.checkpoint();
        List<TokenizedExample> examples = fineTuneExamples(selection.dataset());
        long t = System.nanoTime();
        long steps = fineTune.run(roundRun, start, examples, spec.fineTuning().steps(
                fineTune.fixedSteps(), examples.size(), fineTune.batchSize()),
            ShuffledOrder.mix(spec.seed(), i), "ei round " + i, log, manager);
        seconds.put("training", elapsed(t));
        record.recordStage("training", Duration.ofNanos(System.nanoTime() - t));
        t = System.nanoTime();
        Scores scores = evaluate("π_" + i);
        seconds.put("eval", elapsed(t));
        record.recordStage("eval", Duration.ofNanos(System.nanoTime() - t));
        long rollouts = (long) questions.size() * spec.rollout().k();
        Set<Integer> covered = new HashSet<>();
        selection.dataset().forEach(s -> covered.add(s.question()));
        Round round = new Round(i, rollouts, rollouts * i, questions.size(),
            selection.accepted(), selection.kept().size(), selection.newDistinct(),
            selection.dataset().size(), covered.size(), examples.size(), steps, scores, seconds);
        roundRun.writeJson(ROUND_FILE, round);
        log.accept(String.format(Locale.ROOT, "EI round %d: %d rollouts (%d total), |R|=%d"
                + " (%d new), |D|=%d covering %d/%d questions; maj@1 %s maj@%d %s pass@%d %s",
            i, rollouts, rollouts * i, round.kept(), round.newDistinct(), round.datasetSize(),
            covered.size(), questions.size(), fmt(scores.maj1()), scores.k(),
            fmt(scores.majAtK()), scores.k(), fmt(scores.passAtK())));
        return round;
      }
    }

    /** D_i's solutions, and with the RFT-style arm the sampled questions' references. */
    private List<TokenizedExample> fineTuneExamples(List<SolutionFilter.Solution> dataset) {
      List<TokenizedExample> examples = new ArrayList<>(dataset.size());
      Set<String> seen = new HashSet<>();
      for (SolutionFilter.Solution s : dataset) {
        seen.add(SolutionFilter.key(s.question(), s.text()));
        examples.add(new TokenizedExample(PromptFormat.encodePrompt(tokenizer,
            format.prompt(questions.get(s.question()).question())), s.tokens()));
      }
      if (spec.fineTuning().withReferences()) {
        for (int q : inputs.referenced()) {
          Problem p = questions.get(q);
          if (seen.add(SolutionFilter.key(q, p.referenceSolution()))) {
            examples.add(TokenizedExample.of(tokenizer, format, p.question(),
                p.referenceSolution()));
          }
        }
      }
      return examples;
    }

    private SolutionFilter.Selection sampleAndSelect(int i,
        List<SolutionFilter.Solution> previous) {
      // Exemplars only for the pretrained start: from round 2 on the policy was fine-tuned on
      // zero-shot solutions and is evaluated zero-shot.
      PromptFormat sampling = i == 1 ? samplingFormat(spec.fewShot(), inputs.references())
          : PromptFormat.zeroShot();
      List<String> prompts = questions.stream().map(p -> sampling.prompt(p.question())).toList();
      Progress progress = Progress.lines("ei round " + i + " sampling",
          (long) prompts.size() * spec.rollout().k(), "solutions", log);
      long[] done = {0};
      List<Rollout> rollouts = new Sampler(model, tokenizer).sample(prompts, spec.rollout().k(),
          spec.rollout().sampling(), ShuffledOrder.mix(spec.seed(), i), n -> {
                done[0] += n;
                progress.update(done[0], "");
              });
      // The round's test is a reward: a correct final answer, or (ORM EI) an ORM score of at
      // least the threshold at the final token.
      RewardFunction test = orm == null ? new CorrectnessReward()
          : new OrmFinalReward(orm, spec.rollout().batchSize(), Math.max(tokenizer.padId(), 0));
      List<TokenRewards> rewards = test.scoreByPrompt(rollouts, questions);
      boolean[] accepted = new boolean[rollouts.size()];
      for (int r = 0; r < accepted.length; r++) {
        accepted[r] = passes(rewards.get(r), orm == null ? null : spec.ormThreshold(),
            spec.fineTuning().strictFilter());
      }
      return SolutionFilter.select(questions, rollouts, accepted, previous, i, tokenizer.eosId());
    }

    private Control control(int i, NDManager manager) {
      Path dir = controlDir(i);
      if (Files.exists(dir.resolve(CONTROL_FILE))) {
        return JobContext.read(dir.resolve(CONTROL_FILE), Control.class);
      }
      try (RunDirectory controlRun = RunDirectory.open(dir)) {
        Path start = spec.continueTraining() && i > 1
            ? controlDir(i - 1).resolve(MODEL_DIR) : spec.checkpoint();
        List<TokenizedExample> examples = new ArrayList<>(inputs.referenced().size());
        for (int q : inputs.referenced()) { // each fits the context (validate)
          Problem p = questions.get(q);
          examples.add(TokenizedExample.of(tokenizer, format, p.question(),
              p.referenceSolution()));
        }
        // Compute-matched: the steps of the EI round it stands beside (in epochs mode they
        // depend on what that round kept; a control alone only exists with fixed steps).
        long matched = spec.fineTuning().inEpochs() ? rounds.get(i - 1).fineTuneSteps()
            : fineTune.fixedSteps();
        long t = System.nanoTime();
        long steps = fineTune.run(controlRun, start, examples, matched,
            ShuffledOrder.mix(spec.seed(), CONTROL_SALT, i), "control " + i, log, manager);
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

    private Scores evaluate(String what) {
      EvalOptions options = EvalOptions.of(spec.eval(), spec.seed(), BOOTSTRAP_RESAMPLES);
      Scores scores = Scores.of(new Evaluator(model, tokenizer, format, null)
          .evaluate(inputs.evalProblems(), options, log).result());
      log.accept(String.format(Locale.ROOT, "eval %s on %d problems: maj@1 %s maj@%d %s"
              + " pass@%d %s", what, scores.problems(), fmt(scores.maj1()), scores.k(),
          fmt(scores.majAtK()), scores.k(), fmt(scores.passAtK())));
      return scores;
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
   * Whether a sample passes the round's test: a correct final answer, or (ORM EI, with an
   * {@code ormThreshold}) an ORM score of at least the threshold; with {@code strict}, only when
   * the answer also stands on a {@code #### N} line.
   */
  static boolean passes(TokenRewards reward, Double ormThreshold, boolean strict) {
    boolean test = ormThreshold == null ? reward.correct() : reward.total() >= ormThreshold;
    return test && (!strict || reward.judgement().strict());
  }

  /**
   * The prompt format of the first round's sampling: zero-shot, or the first {@code shots}
   * reference solutions as worked exemplars (a question that is itself an exemplar sees its own
   * solution; with thousands of questions that is negligible).
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

  private static double elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
