package org.reasonrl.algo;

import org.reasonrl.reward.OrmMetrics;
import org.reasonrl.reward.OutcomeRewardModel;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.reasonrl.data.Answers;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.ExtractedAnswer;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.Metrics;
import org.reasonrl.eval.ProblemOutcome;
import org.reasonrl.eval.Sample;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.AdamW;
import org.reasonrl.train.BatchSource;
import org.reasonrl.train.LearningRateSchedule;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingOptions;
import org.reasonrl.train.TrainingResult;

/**
 * The {@code reasonrl:orm} job (Cobbe et al. 2021, as the study uses it): sample K solutions per
 * question from a policy, label each by its final answer, hold out a share of the questions,
 * fine-tune backbone and a fresh reward head to predict the label at every solution token, and
 * report held-out accuracy, AUC and Brier at the final token plus rerank@K against maj@K and
 * pass@K on the held-out samples.
 *
 * <p>Run directory: {@code spec.json} (what the run is; a rerun must match it),
 * {@code samples.jsonl} (written once sampling is complete; a rerun reuses it),
 * {@code checkpoint-<step>/orm/} (resumable training), {@code metrics.jsonl}, {@code orm/} (the
 * trained ORM, for {@code reasonrl:eval -DormCheckpoint} and ORM filters), {@code result.json}.
 * All inputs are checked before the directory is touched.
 */
public final class OrmTraining {

  public static final String SPEC_FILE = "spec.json";
  public static final String SAMPLES_FILE = "samples.jsonl";
  public static final String MODEL_DIR = "orm";

  private static final int BOOTSTRAP_RESAMPLES = 1000;

  private final OrmSpec spec;
  private TrainingLoop.StepListener listener;

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

  /** The identity of a run: everything that changes its result (not the output or batching). */
  record Identity(String policy, JsonNode policyConfig, JsonNode dataset, int maxProblems,
      int samplesPerProblem, double temperature, int maxNewTokens, double heldOutShare,
      long steps, int batchSize, int microBatchSize, double learningRate, long warmupSteps,
      double weightDecay, double maxGradNorm, boolean balanceClasses, long seed) {}

  public Report run(Consumer<String> log) {
    RuntimeInfo runtime = EngineRuntime.ensureStarted();
    // ---- inputs, all checked before the output directory is touched
    Path policyDir = spec.policyCheckpoint().toAbsolutePath().normalize();
    LlamaConfig config = Checkpoint.readConfig(policyDir);
    Path tokenizerFile = policyDir.resolve(Checkpoint.TOKENIZER);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new CheckpointException("policy checkpoint " + policyDir + " has no "
          + Checkpoint.TOKENIZER);
    }
    ProblemSet set = Datasets.load(spec.dataset());
    List<Problem> problems = set.problems();
    if (spec.maxProblems() > 0 && problems.size() > spec.maxProblems()) {
      problems = problems.subList(0, spec.maxProblems());
    }
    boolean[] heldOut = heldOutQuestions(problems.size(), spec.heldOutShare(), spec.seed());
    Identity identity = new Identity(policyDir.toString(),
        Json.mapper().valueToTree(config), Json.mapper().valueToTree(spec.dataset()),
        spec.maxProblems(), spec.samplesPerProblem(), spec.temperature(), spec.maxNewTokens(),
        spec.heldOutShare(), spec.steps(), spec.batchSize(), spec.microBatchSize(),
        spec.learningRate(), spec.warmupSteps(), spec.weightDecay(), spec.maxGradNorm(),
        spec.balanceClasses(), spec.seed());
    JsonNode identityJson = Json.mapper().valueToTree(identity);

    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new CheckpointException("policy checkpoint " + policyDir + ": tokenizer.json has "
            + tokenizer.vocabSize() + " tokens but config.json's vocab_size is "
            + config.vocabSize());
      }
      CausalLm policy = Checkpoint.load(policyDir, manager);
      try (RunDirectory run = RunDirectory.open(spec.output())) {
        checkIdentity(run, identityJson);
        RunRecord record = new RunRecord(run, "orm", runtime, spec.seed(), spec);
        log.accept("ORM from " + policyDir + " on " + problems.size() + " questions of "
            + set.source() + " (K=" + spec.samplesPerProblem() + ", T=" + spec.temperature()
            + ", held out " + count(heldOut) + " questions)");

        // ---- samples: drawn once, reused by a rerun
        boolean reused = Files.isRegularFile(run.resolve(SAMPLES_FILE));
        List<LabelledSample> samples;
        long start = System.nanoTime();
        if (reused) {
          samples = readSamples(run.resolve(SAMPLES_FILE), problems, heldOut);
          log.accept("Reusing " + samples.size() + " labelled samples from "
              + run.resolve(SAMPLES_FILE));
        } else {
          samples = sample(policy, tokenizer, problems, heldOut, log);
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
        Map<String, Problem> byId = new LinkedHashMap<>();
        problems.forEach(p -> byId.put(p.id(), p));

        HeldOut initial = validation.isEmpty() ? null
            : record.stage("initial-eval", () -> evaluate(orm, validation, byId, pad));

        // ---- fine-tune
        start = System.nanoTime();
        TrainingResult result = record.stage("train", () -> train(orm, train, trainPositive, pad,
            run, tokenizerFile, manager, log));
        seconds.put("train", (System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        HeldOut trained = validation.isEmpty() ? null
            : record.stage("eval", () -> evaluate(orm, validation, byId, pad));
        seconds.put("eval", (System.nanoTime() - start) / 1e9);
        Path model = run.writeDirectory(MODEL_DIR, dir -> orm.save(dir, tokenizerFile));

        Report report = new Report(policyDir.toString(), set.source(), problems.size(),
            problems.size() - count(heldOut), count(heldOut), spec.samplesPerProblem(),
            train.size(), trainPositive, validation.size(), reused, initial, trained,
            new TrainingSummary(result.steps(), result.finalLoss(), result.resumedFromStep(),
                result.elapsedSeconds(), result.tokens()),
            model.toString(), seconds, spec, runtime);
        run.writeResult(report);
        record.finish("completed");
        log.accept(summary(report));
        return report;
      }
    }
  }

  /**
   * Which questions are held out: the first {@code round(share·n)} (at least one when share > 0)
   * of a seeded permutation, so the split is by question and the same for every rerun.
   */
  public static boolean[] heldOutQuestions(int questions, double share, long seed) {
    int held = share <= 0 ? 0 : Math.max(1, (int) Math.round(share * questions));
    if (held >= questions) {
      throw new IllegalArgumentException("holding out " + held + " of " + questions
          + " questions leaves none to train on: use more questions or a smaller heldOutShare");
    }
    boolean[] out = new boolean[questions];
    ShuffledOrder order = new ShuffledOrder(ShuffledOrder.mix(seed, 0x53504C4954L), questions);
    for (int i = 0; i < held; i++) {
      out[order.index(i)] = true;
    }
    return out;
  }

  private void checkIdentity(RunDirectory run, JsonNode identity) {
    Path file = run.resolve(SPEC_FILE);
    if (Files.isRegularFile(file)) {
      try {
        JsonNode existing = Json.mapper().readTree(file.toFile());
        if (!existing.toString().equals(identity.toString())) {
          throw new IllegalArgumentException("run directory " + run.root() + " holds an ORM run"
              + " with other settings:\n  there:    " + existing + "\n  this run: " + identity
              + "\nuse the same settings to resume, or another output directory");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    } else {
      run.writeJson(SPEC_FILE, identity);
    }
  }

  private List<LabelledSample> sample(CausalLm policy, Tokenizer tokenizer,
      List<Problem> problems, boolean[] heldOut, Consumer<String> log) {
    PromptFormat format = PromptFormat.zeroShot();
    List<String> prompts = problems.stream().map(p -> format.prompt(p.question())).toList();
    int k = spec.samplesPerProblem();
    Progress progress = Progress.lines("orm samples", (long) prompts.size() * k, "solutions",
        log);
    long[] done = {0};
    List<Rollout> rollouts = new Sampler(policy, tokenizer).sample(prompts, k,
        SamplingOptions.sampling(spec.temperature(), spec.maxNewTokens(),
            spec.samplingBatchSize()), spec.seed(), n -> {
              done[0] += n;
              progress.update(done[0], "");
            });
    List<LabelledSample> out = new ArrayList<>(rollouts.size());
    for (Rollout rollout : rollouts) {
      Problem problem = problems.get(rollout.promptIndex());
      ExtractedAnswer answer = Answers.extract(rollout.completion());
      out.add(new LabelledSample(problem.id(), heldOut[rollout.promptIndex()],
          rollout.sampleIndex(), rollout.promptTokens(), rollout.tokens(), rollout.completion(),
          answer.normalized(), Answers.isCorrect(answer, problem.answer())));
    }
    return out;
  }

  private List<LabelledSample> readSamples(Path file, List<Problem> problems, boolean[] heldOut) {
    List<LabelledSample> out = new ArrayList<>();
    try {
      int line = 0;
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        line++;
        if (!text.isBlank()) {
          try {
            out.add(Json.mapper().readValue(text, LabelledSample.class));
          } catch (IOException e) {
            throw new IllegalArgumentException(file + " line " + line + " is not a labelled"
                + " sample: " + e.getMessage(), e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int k = spec.samplesPerProblem();
    if (out.size() != problems.size() * k) {
      throw new IllegalArgumentException(file + " holds " + out.size() + " samples but this run"
          + " has " + problems.size() + " questions × K=" + k + "; delete it or use another"
          + " output directory");
    }
    for (int i = 0; i < out.size(); i++) {
      LabelledSample s = out.get(i);
      int q = i / k;
      if (!s.problemId().equals(problems.get(q).id()) || s.heldOut() != heldOut[q]
          || s.sampleIndex() != i % k) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + " is sample "
            + s.sampleIndex() + " of question " + s.problemId() + " but this run expects sample "
            + (i % k) + " of " + problems.get(q).id());
      }
    }
    return out;
  }

  private TrainingResult train(OutcomeRewardModel orm, List<LabelledSample> train,
      double positiveShare, int pad, RunDirectory run, Path tokenizerFile, NDManager manager,
      Consumer<String> log) {
    float[] weights = new float[train.size()];
    for (int i = 0; i < weights.length; i++) {
      // Balanced: each class carries half the loss. Undefined with one class: leave weights 1.
      boolean balance = spec.balanceClasses() && positiveShare > 0 && positiveShare < 1;
      weights[i] = !balance ? 1f : (float) (0.5 / (train.get(i).correct() ? positiveShare
          : 1 - positiveShare));
    }
    ShuffledOrder order = new ShuffledOrder(spec.seed(), train.size());
    int micro = Math.min(spec.microBatchSize(), spec.batchSize());
    BatchSource<OrmBatch> batches = step -> {
      int[] indices = order.batch(step, spec.batchSize());
      List<OrmBatch> out = new ArrayList<>();
      for (int from = 0; from < indices.length; from += micro) {
        int[] part = Arrays.copyOfRange(indices, from, Math.min(indices.length, from + micro));
        List<LabelledSample> rows = new ArrayList<>(part.length);
        float[] rowWeights = new float[part.length];
        for (int i = 0; i < part.length; i++) {
          rows.add(train.get(part[i]));
          rowWeights[i] = weights[part[i]];
        }
        out.add(OrmBatch.of(rows, rowWeights, pad));
      }
      return out;
    };
    TrainingOptions options = new TrainingOptions(spec.steps(),
        new LearningRateSchedule(spec.learningRate(), Math.min(spec.warmupSteps(), spec.steps()),
            spec.steps(), LearningRateSchedule.Decay.COSINE, spec.learningRate() / 10),
        new AdamW.Config(0.9, 0.999, 1e-8, spec.weightDecay(), false), spec.maxGradNorm(),
        spec.logEvery(), spec.checkpointEvery(), spec.seed());
    Map<String, Parameter> parameters = new LinkedHashMap<>(orm.backbone().namedParameters());
    parameters.putAll(orm.head().namedParameters());
    OrmCheckpoints checkpoints = new OrmCheckpoints(orm, tokenizerFile);
    return TrainingLoop.builder(options, new ParameterList(parameters), batches,
            OrmBatch.objective(orm))
        .runDirectory(run)
        .checkpoints(checkpoints, checkpoints)
        .progress(Progress.lines("orm train", spec.steps(), "steps", log))
        .listener(listener)
        .build()
        .run(manager);
  }

  /** Final-token metrics, token BCE, and rerank@K / maj@K / pass@K on the held-out samples. */
  private HeldOut evaluate(OutcomeRewardModel orm, List<LabelledSample> samples,
      Map<String, Problem> problems, int pad) {
    List<int[]> sequences = samples.stream().map(LabelledSample::sequence).toList();
    List<double[]> perToken = orm.scoreTokens(sequences, spec.samplingBatchSize(), pad);
    double[] finals = new double[samples.size()];
    boolean[] labels = new boolean[samples.size()];
    double tokenBce = 0;
    long tokens = 0;
    for (int i = 0; i < samples.size(); i++) {
      LabelledSample s = samples.get(i);
      double[] scores = perToken.get(i);
      finals[i] = scores[scores.length - 1];
      labels[i] = s.correct();
      for (int t = s.promptTokens().length; t < scores.length; t++) {
        tokenBce += OrmMetrics.bce(scores[t], s.correct());
        tokens++;
      }
    }
    int k = spec.samplesPerProblem();
    List<ProblemOutcome> outcomes = new ArrayList<>();
    for (int start = 0; start < samples.size(); start += k) {
      Problem problem = problems.get(samples.get(start).problemId());
      List<Sample> judged = new ArrayList<>(k);
      for (int i = start; i < start + k; i++) {
        judged.add(Sample.judge(samples.get(i).completion(), problem.answer(), finals[i]));
      }
      outcomes.add(new ProblemOutcome(problem.id(), problem.answer(), null, judged));
    }
    return new HeldOut(OrmMetrics.of(finals, labels, tokenBce, tokens),
        Metrics.evaluate(outcomes, k, spec.seed(), BOOTSTRAP_RESAMPLES));
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
      out.append(String.format(Locale.ROOT, "%n  %s: acc %.3f  AUC %s  Brier %.4f  token BCE %.4f"
              + "  | maj@%d %.3f  rerank@%d %.3f  pass@%d %.3f", e.getKey(), m.accuracy(),
          m.auc() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", m.auc()), m.brier(),
          m.tokenBce(), r.k(), r.majAtK().value(), r.k(), r.rerankAtK().value(), r.k(),
          r.passAtK().value()));
    }
    return out.toString();
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
