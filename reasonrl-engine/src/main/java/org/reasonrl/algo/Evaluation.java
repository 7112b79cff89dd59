package org.reasonrl.algo;

import org.reasonrl.eval.EvalResult;
import org.reasonrl.eval.EvalRun;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.eval.MetricValue;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.text.Tokenizer;

/**
 * The {@code reasonrl:eval} job: loads a checkpoint and a dataset, evaluates, and writes
 * {@code eval.json} (metrics with intervals, spec, versions, durations, rollouts used) and
 * {@code samples.jsonl} (every solution with its answer and verdict). Inputs are all checked
 * before the output directory is touched, so bad input leaves no partial output.
 */
public final class Evaluation {

  public static final String RESULT_FILE = "eval.json";
  public static final String SAMPLES_FILE = "samples.jsonl";

  private final EvalSpec spec;

  public Evaluation(EvalSpec spec) {
    this.spec = spec;
  }

  /** The JSON form of {@code eval.json}. */
  public record Report(EvalResult result, String checkpoint, String dataset, int skippedRecords,
      int fewShot, String orm, long rollouts, long generatedTokens, Map<String, Double> seconds,
      EvalSpec spec, RuntimeInfo runtime) {}

  public Report run(Consumer<String> log) {
    RuntimeInfo runtime = EngineRuntime.ensureStarted();
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
    Checkpoint.readConfig(spec.checkpoint());
    Path tokenizerFile = spec.checkpoint().resolve(Checkpoint.TOKENIZER);
    Report done = finishedBefore();
    if (done != null) {
      log.accept("Already evaluated with this spec (" + spec.output().resolve(RESULT_FILE)
          + "): " + summary(done.result()));
      return done;
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      CausalLm policy = Checkpoint.load(spec.checkpoint(), manager);
      OutcomeRewardModel orm = spec.ormCheckpoint() == null ? null
          : OutcomeRewardModel.load(spec.ormCheckpoint(), manager);
      log.accept("Evaluating " + spec.checkpoint() + " on " + problems.size() + " problems of "
          + set.source() + " (K=" + spec.options().k() + ", n=" + spec.options().samples()
          + ", T=" + spec.options().temperature() + (orm == null ? "" : ", ORM rerank") + ")");
      try (RunDirectory run = RunDirectory.open(spec.output())) {
        EvalRun result = new Evaluator(policy, tokenizer, format, orm)
            .evaluate(problems, spec.options(), log);
        Report report = new Report(result.result(), spec.checkpoint().toString(), set.source(),
            set.skippedCount(), format.shots(),
            spec.ormCheckpoint() == null ? null : spec.ormCheckpoint().toString(),
            result.rollouts(), result.generatedTokens(), result.seconds(), spec, runtime);
        run.writeJsonLines(SAMPLES_FILE, result.samples());
        run.writeJson(RESULT_FILE, report);
        log.accept(summary(result.result()));
        return report;
      }
    }
  }

  /**
   * The report of an earlier run on the same output with the same spec, written after the last
   * change to the checkpoint and ORM files, or {@code null}: a rerun of a grid skips finished
   * evaluations, while a retrained checkpoint is evaluated again.
   */
  private Report finishedBefore() {
    Path resultFile = spec.output().resolve(RESULT_FILE);
    if (!Files.isRegularFile(resultFile) || !Files.isRegularFile(
        spec.output().resolve(SAMPLES_FILE))) {
      return null;
    }
    try {
      JsonNode written = Json.mapper().readTree(resultFile.toFile());
      // Through text, as it was written, so numbers compare by value whatever their Java type.
      if (!Json.mapper().readTree(Json.mapper().writeValueAsString(spec))
          .equals(written.get("spec"))) {
        return null;
      }
      FileTime evaluated = Files.getLastModifiedTime(resultFile);
      if (newestFile(spec.checkpoint()).compareTo(evaluated) > 0 || (spec.ormCheckpoint() != null
          && newestFile(spec.ormCheckpoint()).compareTo(evaluated) > 0)) {
        return null;
      }
      return Json.mapper().treeToValue(written, Report.class);
    } catch (IOException unreadable) {
      return null;
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
