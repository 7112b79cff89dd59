package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.Bootstrap;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.VocabularyGrowth;
import org.reasonrl.reward.Judgement;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.reward.SolutionSteps;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.ConditionTokens;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.TokenizedExample;

/**
 * The {@code reasonrl:rcrl} job, Return-Conditioned RL as the study runs it: π_0 writes K
 * solutions per training question; each step (line) of each distinct finished solution is
 * labelled GOOD or BAD — by the success rate of continuations of its prefix sampled from a
 * labelling policy (the paper: the best EI policy), or by the ORM's score at its end (ORM RCRL),
 * either thresholded at T; π_0 is fine-tuned on every labelled solution, correct or not, with
 * its label's token before each step and loss on the solution's tokens only; the policy is then
 * evaluated with {@code [GOOD]} before each step (the paper's test-time condition) and with
 * {@code [BAD]} (a contrast that should be worse), each as a full {@code reasonrl:eval} run.
 *
 * <p>Sample complexity counts the solutions and every continuation as rollouts, on the axis EI
 * and PPO use. Resume: {@code solutions.jsonl} (written before {@code sampling.json}), the
 * labelling chunks and {@code labelled.jsonl} (before {@code labelling.json}), the fine-tune in
 * {@code train/} through {@code TrainingLoop}, and each evaluation as its own job.
 */
public final class ReturnConditionedRl implements Job<ReturnConditionedRl.Result> {

  public static final String GOOD = ConditionTokens.GOOD;
  public static final String BAD = ConditionTokens.BAD;
  public static final String SOLUTIONS_FILE = "solutions.jsonl";
  public static final String SAMPLING_FILE = "sampling.json";
  public static final String LABELLED_FILE = "labelled.jsonl";
  public static final String LABELLING_FILE = "labelling.json";
  public static final String START_DIR = "start";
  public static final String TRAIN_DIR = "train";
  public static final String EVAL_GOOD_DIR = "eval-good";
  public static final String EVAL_BAD_DIR = "eval-bad";
  private static final long SAMPLING_SALT = 0xC0DE_5A3BL;

  private final RcrlSpec spec;
  private Inputs inputs;

  public ReturnConditionedRl(RcrlSpec spec) {
    this.spec = spec;
  }

  /** π_0's solutions: how many were sampled, finished and distinct, and how many are right. */
  public record Sampling(int questions, long rollouts, int distinct, int correct) {}

  /**
   * The labels: steps labelled and GOOD among them (also within correct and within incorrect
   * solutions), distinct prefixes continued and the continuations sampled for them.
   */
  public record Labelling(String labels, double threshold, int solutions, int steps,
      int goodSteps, int stepsOfCorrect, int goodStepsOfCorrect, int prefixes,
      long continuations) {}

  /** One labelled solution (what {@code labelled.jsonl} holds). */
  public record LabelledSolution(int question, String problemId, String text, int[] tokens,
      int[] stepEnds, double[] stepValues, boolean[] good, boolean correct) {}

  /**
   * What an RCRL run produced.
   *
   * @param rollouts sample complexity: π_0's solutions plus every continuation
   * @param good the evaluation with {@code [GOOD]} before each step (its {@code eval.json})
   * @param bad the evaluation with {@code [BAD]}
   */
  public record Result(Sampling sampling, Labelling labelling, long rollouts,
      long fineTuneSteps, ExpertIteration.Scores good, ExpertIteration.Scores bad,
      Path finalModel, Path goodEval, Path badEval) {}

  private record Inputs(PolicyCheckpoint policy, PolicyCheckpoint labeller,
      List<Problem> questions) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("rcrl", spec.output(), spec, spec.seed(), Result.class);
  }

  @Override
  public void validate() {
    PolicyCheckpoint policy = PolicyCheckpoint.check(spec.checkpoint());
    PolicyCheckpoint labeller = spec.ormLabels() ? null : PolicyCheckpoint.check(spec.labeller());
    if (spec.ormLabels()) {
      PolicyCheckpoint.checkOrm(spec.ormCheckpoint());
    }
    List<Problem> questions = policy.zeroShotHead(spec.dataset(), spec.maxQuestions());
    policy.zeroShotHead(spec.evalDataset(), spec.evalProblems());
    inputs = new Inputs(policy, labeller, questions);
  }

  @Override
  public Result run(JobContext context) {
    return new Run(context).run();
  }

  /** One run in the open run directory. */
  private final class Run {
    private final JobContext context;
    private final RunDirectory run;
    private final Consumer<String> log;
    private final List<Problem> questions = inputs.questions();
    private final PromptFormat format = PromptFormat.zeroShot();

    Run(JobContext context) {
      this.context = context;
      this.run = context.run();
      this.log = context.log();
    }

    Result run() {
      log.accept(String.format(Locale.ROOT, "RCRL from %s: %d questions × %d solutions at T=%s,"
              + " %s labels at T=%s%s", spec.checkpoint(), questions.size(), spec.rollout().k(),
          spec.rollout().temperature(), spec.labels(), spec.threshold(), spec.ormLabels() ? ""
              : " (" + spec.continuations() + " continuations per step by " + spec.labeller()
                  + ")"));
      List<SolutionFilter.Solution> solutions = solutions();
      List<LabelledSolution> labelled = labelled(solutions);
      Sampling sampling = JobContext.read(run.resolve(SAMPLING_FILE), Sampling.class);
      Labelling labelling = JobContext.read(run.resolve(LABELLING_FILE), Labelling.class);
      long steps = train(labelled);
      Path model = run.resolve(PublishedModel.DIR);
      Evaluation.Report good = evaluate(model, GOOD, EVAL_GOOD_DIR);
      Evaluation.Report bad = evaluate(model, BAD, EVAL_BAD_DIR);
      long rollouts = sampling.rollouts() + labelling.continuations();
      return new Result(sampling, labelling, rollouts, steps,
          ExpertIteration.Scores.of(good.result()), ExpertIteration.Scores.of(bad.result()),
          model, run.resolve(EVAL_GOOD_DIR), run.resolve(EVAL_BAD_DIR));
    }

    /** π_0's distinct finished solutions, sampled once ({@code sampling.json} marks them done). */
    private List<SolutionFilter.Solution> solutions() {
      if (context.done(SAMPLING_FILE)) {
        return SolutionFilter.readDataset(run.resolve(SOLUTIONS_FILE));
      }
      long start = System.nanoTime();
      try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          Tokenizer tokenizer = inputs.policy().openTokenizer()) {
        CausalLm policy = Checkpoint.load(inputs.policy().dir(), manager);
        List<String> prompts = questions.stream().map(p -> format.prompt(p.question())).toList();
        long total = (long) prompts.size() * spec.rollout().k();
        Progress progress = Progress.lines("rcrl sampling", total, "solutions", log);
        long[] done = {0};
        List<Rollout> rollouts = new Sampler(policy, tokenizer).sample(prompts,
            spec.rollout().k(), spec.rollout().sampling(),
            ShuffledOrder.mix(spec.seed(), SAMPLING_SALT), n -> {
              done[0] += n;
              progress.update(done[0], "");
            });
        boolean[] all = new boolean[rollouts.size()];
        java.util.Arrays.fill(all, true);
        List<SolutionFilter.Solution> distinct = SolutionFilter.select(questions, rollouts, all,
            List.of(), 0, tokenizer.eosId()).dataset();
        int correct = (int) distinct.stream().filter(this::correct).count();
        run.writeJsonLines(SOLUTIONS_FILE, distinct);
        run.writeJson(SAMPLING_FILE, new Sampling(questions.size(), total, distinct.size(),
            correct));
        context.record().recordStage("sampling", Duration.ofNanos(System.nanoTime() - start));
        log.accept(String.format(Locale.ROOT, "RCRL sampling: %d solutions, %d distinct and"
            + " finished, %d correct", total, distinct.size(), correct));
        return distinct;
      }
    }

    private boolean correct(SolutionFilter.Solution s) {
      return Judgement.of(s.text(), questions.get(s.question()).answer()).correct();
    }

    /** Every solution with its step values and labels, labelled once ({@code labelling.json}). */
    private List<LabelledSolution> labelled(List<SolutionFilter.Solution> solutions) {
      if (context.done(LABELLING_FILE)) {
        return Json.readLines(run.resolve(LABELLED_FILE), LabelledSolution.class);
      }
      long start = System.nanoTime();
      try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          Tokenizer tokenizer = inputs.policy().openTokenizer()) {
        SolutionSteps steps = new SolutionSteps(tokenizer);
        List<StepLabelling.Target> targets = new ArrayList<>(solutions.size());
        for (SolutionFilter.Solution s : solutions) {
          targets.add(new StepLabelling.Target(s.question(), prompt(tokenizer, s.question()),
              s.tokens(), StepLabels.stepEnds(s.tokens(), tokenizer.eosId(), steps),
              correct(s)));
        }
        StepLabelling.Values values;
        if (spec.ormLabels()) {
          OutcomeRewardModel orm = OutcomeRewardModel.load(spec.ormCheckpoint(), manager);
          values = StepLabelling.byOrm(targets, orm, spec.rollout().batchSize(),
              Math.max(tokenizer.padId(), 0));
        } else {
          CausalLm labeller = Checkpoint.load(inputs.labeller().dir(), manager);
          values = StepLabelling.byContinuations(targets, questions,
              new Sampler(labeller, tokenizer), tokenizer, spec.rollout().sampling(),
              spec.continuations(), spec.seed(), run, log);
        }
        List<LabelledSolution> labelled = new ArrayList<>(solutions.size());
        int stepCount = 0;
        int good = 0;
        int ofCorrect = 0;
        int goodOfCorrect = 0;
        for (int i = 0; i < solutions.size(); i++) {
          SolutionFilter.Solution s = solutions.get(i);
          StepLabelling.Target t = targets.get(i);
          double[] v = values.perStep().get(i);
          boolean[] labels = StepLabels.threshold(v, spec.threshold());
          labelled.add(new LabelledSolution(s.question(), s.problemId(), s.text(), s.tokens(),
              t.stepEnds(), v, labels, t.correct()));
          for (boolean label : labels) {
            stepCount++;
            good += label ? 1 : 0;
            ofCorrect += t.correct() ? 1 : 0;
            goodOfCorrect += t.correct() && label ? 1 : 0;
          }
        }
        run.writeJsonLines(LABELLED_FILE, labelled);
        Labelling summary = new Labelling(spec.labels(), spec.threshold(), labelled.size(),
            stepCount, good, ofCorrect, goodOfCorrect, values.prefixes(), values.continuations());
        run.writeJson(LABELLING_FILE, summary);
        context.record().recordStage("labelling", Duration.ofNanos(System.nanoTime() - start));
        log.accept(String.format(Locale.ROOT, "RCRL labels: %d of %d steps GOOD (%d of %d in"
                + " correct solutions); %d prefixes, %d continuations", good, stepCount,
            goodOfCorrect, ofCorrect, values.prefixes(), values.continuations()));
        return labelled;
      }
    }

    private int[] prompt(Tokenizer tokenizer, int question) {
      return PromptFormat.encodePrompt(tokenizer,
          format.prompt(questions.get(question).question()));
    }

    /**
     * π_0 with rows for {@code [GOOD]} and {@code [BAD]}: the checkpoint itself when its
     * tokenizer has them (the embedded one does), else {@code start/}, written once: its
     * tokenizer gains them as special tokens and the model the rows for their ids, drawn from
     * the run's seed.
     */
    private Path conditionedStart() {
      try (Tokenizer tokenizer = inputs.policy().openTokenizer()) {
        if (ConditionTokens.NAMES.stream().allMatch(tokenizer::isSpecial)) {
          return inputs.policy().dir();
        }
      }
      Path start = run.resolve(START_DIR);
      if (context.done(START_DIR + "/" + Checkpoint.CONFIG)) {
        return start;
      }
      Path tokenizerFile = ConditionTokens.ensure(inputs.policy().tokenizerFile(),
          run.resolve("start-" + Checkpoint.TOKENIZER));
      try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
        CausalLm grown = VocabularyGrowth.fit(Checkpoint.load(inputs.policy().dir(), manager),
            tokenizer.vocabSize(), manager, SeedStream.of(spec.seed(), "rcrl"));
        run.writeDirectory(START_DIR, dir -> Checkpoint.save(grown, dir, tokenizerFile));
        log.accept("RCRL: added " + ConditionTokens.NAMES + " to " + spec.checkpoint()
            + " (vocabulary " + grown.config().vocabSize() + ") in " + start);
      }
      return start;
    }

    /** The conditioned fine-tune of π_0, published at {@code <output>/model}. */
    private long train(List<LabelledSolution> labelled) {
      Path start = conditionedStart();
      long begin = System.nanoTime();
      PolicyCheckpoint policy = PolicyCheckpoint.check(start);
      try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          Tokenizer tokenizer = policy.openTokenizer()) {
        CausalLm model = Checkpoint.load(policy.dir(), manager);
        ConditionTokens ids = ConditionTokens.of(tokenizer);
        List<TokenizedExample> examples = new ArrayList<>(labelled.size());
        for (LabelledSolution s : labelled) {
          TokenizedExample example = StepLabels.conditioned(prompt(tokenizer, s.question()),
              s.tokens(), s.stepEnds(), s.good(), ids.good(), ids.bad());
          // A sampled solution fits its budget; with a condition token per step it may not.
          if (example.length() <= model.config().maxPositionEmbeddings()) {
            examples.add(example);
          }
        }
        if (examples.size() < labelled.size()) {
          log.accept("RCRL: " + (labelled.size() - examples.size()) + " of " + labelled.size()
              + " labelled solutions exceed the context of "
              + model.config().maxPositionEmbeddings() + " tokens with their condition tokens"
              + " and are not trained on");
        }
        FineTune fineTune = new FineTune(model, policy.tokenizerFile(),
            Math.max(tokenizer.padId(), 0), spec.optimization());
        try (RunDirectory trainRun = RunDirectory.open(run.resolve(TRAIN_DIR))) {
          long steps = fineTune.run(trainRun, start, examples, fineTune.fixedSteps(),
              ShuffledOrder.mix(spec.seed(), 1), "rcrl", log, manager);
          PublishedModel.publish(run, run.resolve(TRAIN_DIR).resolve(PublishedModel.DIR));
          context.record().recordStage("training", Duration.ofNanos(System.nanoTime() - begin));
          return steps;
        }
      }
    }

    /** A full {@code reasonrl:eval} of the trained policy with {@code condition} before steps. */
    private Evaluation.Report evaluate(Path model, String condition, String dir) {
      EvalOptions options = EvalOptions.of(spec.eval(), spec.seed(), Bootstrap.DEFAULT_RESAMPLES);
      EvalSpec eval = new EvalSpec(model, spec.evalDataset(), spec.evalProblems(), 0, null,
          options, run.resolve(dir), condition);
      long start = System.nanoTime();
      Evaluation.Report report = new Evaluation(eval).run(log);
      context.record().recordStage("eval-" + condition, Duration.ofNanos(System.nanoTime() - start));
      return report;
    }
  }
}
