package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.reasonrl.data.ContextFit;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.EvalRun;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.eval.MetricValue;
import org.reasonrl.eval.SampledChunks;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.text.Tokenizer;

/**
 * The {@code reasonrl:eval} job: loads a checkpoint and a dataset, evaluates, and writes
 * {@code eval.json} (metrics with intervals, spec, versions, durations, rollouts used) and
 * {@code samples.jsonl} (every solution with its answer and verdict), under the lifecycle every
 * goal shares ({@code JobRunner}: {@code spec.json}, {@code run.json}, lock). Inputs are all
 * checked before the output directory is touched, so bad input leaves no partial output.
 * Sampling resumes after a kill: finished chunks of the greedy and the sample pass are kept in
 * {@code eval-chunks/} ({@link SampledChunks}) and reused by the rerun, which ends with the same
 * {@code eval.json} metrics and the same {@code samples.jsonl}.
 */
public final class Evaluation implements Job<Evaluation.Report> {

  public static final String RESULT_FILE = "eval.json";
  public static final String SAMPLES_FILE = "samples.jsonl";

  private final EvalSpec spec;
  private Inputs inputs;

  public Evaluation(EvalSpec spec) {
    this.spec = spec;
  }

  /** The JSON form of {@code eval.json}. */
  public record Report(EvalResult result, String checkpoint, String dataset, int skippedRecords,
      int fewShot, String orm, long rollouts, long generatedTokens, Map<String, Double> seconds,
      EvalSpec spec, RuntimeInfo runtime) {}

  /** The checked inputs. */
  private record Inputs(PolicyCheckpoint policy, ProblemSet set, List<Problem> problems,
      PromptFormat format, int tooLong) {}

  @Override
  public JobDefinition<Report> definition() {
    return JobDefinition.of("eval", spec.output(), spec, spec.options().seed(), Report.class)
        .withResultFile(RESULT_FILE);
  }

  @Override
  public void validate() {
    ProblemSet set = Datasets.load(spec.dataset());
    List<Problem> problems = set.problems();
    List<Problem> exemplars = List.of();
    if (spec.fewShot() > 0) {
      exemplars = trainExemplars();
      if (exemplars.isEmpty()) {
        exemplars = problems.subList(0, Math.min(spec.fewShot(), problems.size() - 1));
        problems = problems.subList(exemplars.size(), problems.size());
      }
    }
    if (spec.maxProblems() > 0 && problems.size() > spec.maxProblems()) {
      problems = problems.subList(0, spec.maxProblems());
    }
    PromptFormat format = exemplars.isEmpty() ? PromptFormat.zeroShot()
        : PromptFormat.fewShot(exemplars);
    PolicyCheckpoint policy = PolicyCheckpoint.check(spec.checkpoint());
    if (spec.ormCheckpoint() != null) {
      PolicyCheckpoint.checkOrm(spec.ormCheckpoint());
    }
    if (spec.stepCondition() != null) {
      try (Tokenizer tokenizer = policy.openTokenizer()) {
        stepConditionId(tokenizer);
      }
    }
    ContextFit.Fitted fitted = policy.fittingPrompts(problems, set.source(), format,
        spec.dataset().failOnBadRecord());
    inputs = new Inputs(policy, set, fitted.problems(), format, fitted.skipped().size());
  }

  @Override
  public Report run(JobContext context) {
    Consumer<String> log = context.log();
    List<Problem> problems = inputs.problems();
    ProblemSet set = inputs.set();
    PromptFormat format = inputs.format();
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = inputs.policy().openTokenizer()) {
      CausalLm policy = Checkpoint.load(inputs.policy().dir(), manager);
      OutcomeRewardModel orm = spec.ormCheckpoint() == null ? null
          : OutcomeRewardModel.load(spec.ormCheckpoint(), manager);
      log.accept("Evaluating " + spec.checkpoint() + " on " + problems.size() + " problems of "
          + set.source() + " (K=" + spec.options().k() + ", n=" + spec.options().samples()
          + ", T=" + spec.options().temperature() + (orm == null ? "" : ", ORM rerank")
          + (spec.stepCondition() == null ? "" : ", " + spec.stepCondition() + " before each step")
          + ")");
      Evaluator evaluator = new Evaluator(policy, tokenizer, format, orm);
      if (spec.stepCondition() != null) {
        evaluator = evaluator.conditionedOn(stepConditionId(tokenizer));
      }
      // Finished sampling chunks survive a kill; a rewritten checkpoint makes them stale.
      SampledChunks chunks = new SampledChunks(context.run().resolve(SampledChunks.DIR),
          newestFileOrFuture(inputs.policy().dir()),
          Integer.getInteger("reasonrl.evalChunkRows", SampledChunks.DEFAULT_CHUNK_ROWS));
      EvalRun result = evaluator.evaluate(problems, spec.options(), chunks, log);
      Report report = new Report(result.result(), spec.checkpoint().toString(), set.source(),
          set.skippedCount() + inputs.tooLong(), format.shots(),
          spec.ormCheckpoint() == null ? null : spec.ormCheckpoint().toString(),
          result.rollouts(), result.generatedTokens(), result.seconds(), spec, context.runtime());
      // Samples first: the result file, written last by the runner, marks the pair complete.
      context.run().writeJsonLines(SAMPLES_FILE, result.samples());
      log.accept(summary(result.result()));
      return report;
    }
  }

  /**
   * A finished evaluation is current unless its checkpoint or ORM files were rewritten after it:
   * a rerun of a grid skips finished evaluations, while a retrained checkpoint is evaluated again.
   */
  @Override
  public boolean finishedResultIsCurrent(Report finished, Path resultFile) {
    try {
      if (!Files.isRegularFile(spec.output().resolve(SAMPLES_FILE))) {
        return false;
      }
      FileTime evaluated = Files.getLastModifiedTime(resultFile);
      return newestFile(spec.checkpoint()).compareTo(evaluated) <= 0
          && (spec.ormCheckpoint() == null
              || newestFile(spec.ormCheckpoint()).compareTo(evaluated) <= 0);
    } catch (IOException unreadable) {
      return false;
    }
  }

  /** It redoes its work, never continues it: a retrained checkpoint is evaluated again. */
  @Override
  public boolean continuesEarlierWork() {
    return false;
  }

  private static FileTime newestFileOrFuture(Path dir) {
    try {
      return newestFile(dir);
    } catch (IOException unreadable) {
      return FileTime.fromMillis(Long.MAX_VALUE); // no chunk is trusted
    }
  }

  private static FileTime newestFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      FileTime newest = FileTime.fromMillis(0);
      for (Path file : (Iterable<Path>) files::iterator) {
        FileTime time = Files.getLastModifiedTime(file);
        newest = time.compareTo(newest) > 0 ? time : newest;
      }
      return newest;
    }
  }

  /** The step condition's id: a special token of the checkpoint's tokenizer, or refused. */
  private int stepConditionId(Tokenizer tokenizer) {
    String token = spec.stepCondition();
    if (!tokenizer.isSpecial(token)) {
      throw new IllegalArgumentException("stepCondition '" + token + "' is not a special token"
          + " of " + tokenizer.file() + " (a Return-Conditioned RL policy has [GOOD] and [BAD])");
    }
    return tokenizer.tokenId(token);
  }

  private List<Problem> trainExemplars() {
    DatasetSpec dataset = spec.dataset();
    if (dataset.split().equals("train") || dataset.name().equals(DatasetSpec.SVAMP)) {
      return List.of();
    }
    try {
      List<Problem> train = Datasets.load(dataset.withSplit("train")).problems().stream()
          .filter(Problem::hasReferenceSolution).limit(spec.fewShot()).toList();
      return train;
    } catch (RuntimeException noTrainSplit) {
      return List.of();
    }
  }

  /** One line per metric: value and its 95% interval. */
  public static String summary(EvalResult result) {
    Map<String, MetricValue> metrics = new LinkedHashMap<>();
    metrics.put("maj@1", result.maj1());
    metrics.put("maj@" + result.k(), result.majAtK());
    metrics.put("rerank@" + result.k(), result.rerankAtK());
    metrics.put("pass@" + result.k(), result.passAtK());
    StringBuilder line = new StringBuilder();
    metrics.forEach((name, value) -> {
      if (value != null) {
        line.append(line.length() == 0 ? "" : "  ").append(String.format(
            "%s %.3f [%.3f, %.3f]", name, value.value(), value.ciLow(), value.ciHigh()));
      }
    });
    return line.toString();
  }
}
