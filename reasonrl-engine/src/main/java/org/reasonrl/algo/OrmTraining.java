package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.reward.OrmMetrics;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingResult;

/**
 * The {@code reasonrl:orm} job (Cobbe et al. 2021, as the study uses it): sample K solutions per
 * question from a policy, label each by its final answer, hold out a share of the questions,
 * fine-tune backbone and a fresh reward head to predict the label at every solution token, and
 * report held-out accuracy, AUC and Brier at the final token plus rerank@K against maj@K and
 * pass@K on the held-out samples.
 *
 * <p>Run directory: {@code spec.json} (what the run is; a rerun must match it, see
 * {@code JobRunner}),
 * {@code samples.jsonl} (written once sampling is complete; a rerun reuses it),
 * {@code checkpoint-<step>/orm/} (resumable training), {@code metrics.jsonl}, {@code model/} (the
 * trained ORM, for {@code reasonrl:eval -DormCheckpoint} and ORM filters), {@code result.json}.
 * All inputs are checked before the directory is touched.
 */
public final class OrmTraining implements Job<OrmTraining.Report> {

  public static final String SPEC_FILE = org.reasonrl.job.SpecIdentity.FILE;
  public static final String SAMPLES_FILE = "samples.jsonl";
  public static final String MODEL_DIR = PublishedModel.DIR;

  private final OrmSpec spec;
  private TrainingLoop.StepListener listener;
  private Inputs inputs;

  public OrmTraining(OrmSpec spec) {
    this.spec = spec;
  }

  /** Called after every training step (e.g. by tests that need a slow run to interrupt). */
  public OrmTraining withStepListener(TrainingLoop.StepListener stepListener) {
    this.listener = stepListener;
    return this;
  }

  /** Held-out quality of one model: calibration metrics and the ranking metrics. */
  public record HeldOut(OrmMetrics orm, EvalResult ranking) {}

  /** What the fine-tune did. */
  public record TrainingSummary(long steps, double finalLoss, long resumedFromStep,
      double seconds, long tokens) {}

  /**
   * The JSON form of {@code result.json}. {@code initial} is the policy backbone with the fresh
   * head (the untrained baseline), {@code trained} the final ORM; both absent without a held-out
   * share.
   */
  public record Report(String policy, String dataset, int questions, int trainQuestions,
      int heldOutQuestions, int samplesPerProblem, int trainSamples, double trainPositiveShare,
      int heldOutSamples, boolean samplesReused, HeldOut initial, HeldOut trained,
      TrainingSummary training, String ormCheckpoint, Map<String, Double> seconds, OrmSpec spec,
      RuntimeInfo runtime) {}

  /** The checked inputs. */
  private record Inputs(PolicyCheckpoint policy, ProblemSet set, List<Problem> problems,
      boolean[] heldOut) {}

  @Override
  public JobDefinition<Report> definition() {
    return JobDefinition.of("orm", spec.output(), spec, spec.seed(), Report.class);
  }

  @Override
  public void validate() {
    PolicyCheckpoint policy = PolicyCheckpoint.check(spec.policyCheckpoint());
    ProblemSet set = Datasets.load(spec.dataset());
    List<Problem> problems = set.problems();
    if (spec.maxProblems() > 0 && problems.size() > spec.maxProblems()) {
      problems = problems.subList(0, spec.maxProblems());
    }
    problems = policy.fittingPrompts(problems, set.source(), PromptFormat.zeroShot(),
        spec.dataset().failOnBadRecord()).problems();
    inputs = new Inputs(policy, set, problems,
        OrmSamples.heldOutQuestions(problems.size(), spec.heldOutShare(), spec.seed()));
  }

  @Override
  public Report run(JobContext context) {
    RunDirectory run = context.run();
    RunRecord record = context.record();
    Consumer<String> log = context.log();
    Path policyDir = inputs.policy().dir();
    LlamaConfig config = inputs.policy().config();
    Path tokenizerFile = inputs.policy().tokenizerFile();
    ProblemSet set = inputs.set();
    List<Problem> problems = inputs.problems();
    boolean[] heldOut = inputs.heldOut();
    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Tokenizer tokenizer = inputs.policy().openTokenizer();
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm policy = Checkpoint.load(policyDir, manager);
      log.accept("ORM from " + policyDir + " on " + problems.size() + " questions of "
          + set.source() + " (K=" + spec.rollout().k() + ", T=" + spec.rollout().temperature()
          + ", held out " + count(heldOut) + " questions)");
      // ---- samples: drawn once, reused by a rerun
      boolean reused = Files.isRegularFile(run.resolve(SAMPLES_FILE));
      List<LabelledSample> samples;
      long start = System.nanoTime();
      if (reused) {
        samples = new OrmSamples(spec).read(run.resolve(SAMPLES_FILE), problems, heldOut);
        log.accept("Reusing " + samples.size() + " labelled samples from "
            + run.resolve(SAMPLES_FILE));
      } else {
        samples = new OrmSamples(spec).sample(policy, tokenizer, problems, heldOut, log);
        run.writeJsonLines(SAMPLES_FILE, samples);
      }
      record.recordStage("sampling", java.time.Duration.ofNanos(System.nanoTime() - start));
      seconds.put("sampling", (System.nanoTime() - start) / 1e9);
      List<LabelledSample> train = samples.stream().filter(s -> !s.heldOut()).toList();
      List<LabelledSample> validation = samples.stream().filter(LabelledSample::heldOut)
          .toList();
      double trainPositive = positiveShare(train);
      log.accept(String.format(Locale.ROOT, "Labelled: train %d samples (%.1f%% correct),"
          + " held out %d samples (%.1f%% correct)", train.size(), 100 * trainPositive,
          validation.size(), 100 * positiveShare(validation)));

      // ---- model: the policy backbone and a fresh, seeded head
      ScalarHead head = ScalarHead.create(config.hiddenSize(), manager,
          SeedStream.of(spec.seed(), "orm/reward-head"));
      OutcomeRewardModel orm = new OutcomeRewardModel(policy, head);
      int pad = Math.max(tokenizer.padId(), 0);
      OrmHeldOut heldOutEval = new OrmHeldOut(spec);
      Map<String, Problem> byId = new LinkedHashMap<>();
      problems.forEach(p -> byId.put(p.id(), p));

      HeldOut initial = validation.isEmpty() ? null
          : record.stage("initial-eval", () -> heldOutEval.evaluate(orm, validation, byId, pad));

      // ---- fine-tune
      start = System.nanoTime();
      TrainingResult result = record.stage("train", () -> new OrmTrainer(spec, listener)
          .train(orm, train, trainPositive, pad, run, tokenizerFile, manager, log));
      seconds.put("train", (System.nanoTime() - start) / 1e9);

      start = System.nanoTime();
      HeldOut trained = validation.isEmpty() ? null
          : record.stage("eval", () -> heldOutEval.evaluate(orm, validation, byId, pad));
      seconds.put("eval", (System.nanoTime() - start) / 1e9);
      Path model = run.writeDirectory(MODEL_DIR, dir -> orm.save(dir, tokenizerFile));

      Report report = new Report(policyDir.toString(), set.source(), problems.size(),
          problems.size() - count(heldOut), count(heldOut), spec.rollout().k(),
          train.size(), trainPositive, validation.size(), reused, initial, trained,
          new TrainingSummary(result.steps(), result.finalLoss(), result.resumedFromStep(),
              result.elapsedSeconds(), result.tokens()),
          model.toString(), seconds, spec, context.runtime());
      log.accept(summary(report));
      return report;
    }
  }

  /**
   * Which questions are held out: the first {@code round(share·n)} (at least one when share > 0)
   * of a seeded permutation, so the split is by question and the same for every rerun.
   */
  public static boolean[] heldOutQuestions(int questions, double share, long seed) {
    return OrmSamples.heldOutQuestions(questions, share, seed);
  }

  /** Two lines: calibration and ranking, before and after training. */
  public static String summary(Report report) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "ORM trained %d steps (final loss %.4f); %d train / %d held-out samples",
        report.training().steps(), report.training().finalLoss(), report.trainSamples(),
        report.heldOutSamples()));
    Map<String, HeldOut> rows = new LinkedHashMap<>();
    rows.put("initial", report.initial());
    rows.put("trained", report.trained());
    for (Map.Entry<String, HeldOut> e : rows.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      OrmMetrics m = e.getValue().orm();
      EvalResult r = e.getValue().ranking();
      out.append(String.format(Locale.ROOT, "%n  %s: acc %.3f  AUC %s (within question %s, %d"
              + " questions with both)  Brier %.4f  token BCE %.4f  | random pick %.3f  maj@%d"
              + " %.3f  rerank@%d %.3f  pass@%d %.3f", e.getKey(), m.accuracy(), format(m.auc()),
          format(m.withinQuestionAuc()), m.mixedQuestions(), m.brier(), m.tokenBce(),
          m.positiveShare(), r.k(), r.majAtK().value(), r.k(), r.rerankAtK().value(), r.k(),
          r.passAtK().value()));
    }
    return out.toString();
  }

  private static String format(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static double positiveShare(List<LabelledSample> samples) {
    return samples.isEmpty() ? 0
        : (double) samples.stream().filter(LabelledSample::correct).count() / samples.size();
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean flag : flags) {
      n += flag ? 1 : 0;
    }
    return n;
  }
}
