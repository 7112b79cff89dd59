package org.reasonrl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reasonrl.data.ExtractedAnswer;
import org.reasonrl.run.Json;

/**
 * An evaluation read back from its run directory: {@code eval.json} (the metrics) and
 * {@code samples.jsonl} (every judged solution), so that two finished evaluations can be compared
 * problem by problem ({@link PairedDifference}) without generating again. Samples keep the answer
 * and verdict they were written with; they are not judged again.
 *
 * @param directory the run directory
 * @param result the metrics as written
 * @param outcomes per problem, in the order written
 */
public record WrittenEvaluation(Path directory, EvalResult result, List<ProblemOutcome> outcomes) {

  /** The metrics file of an evaluation run. */
  public static final String RESULT_FILE = "eval.json";
  /** The samples file of an evaluation run. */
  public static final String SAMPLES_FILE = "samples.jsonl";

  public WrittenEvaluation {
    outcomes = List.copyOf(outcomes);
  }

  /** K of the written metrics. */
  public int k() {
    return result.k();
  }

  /** Reads an evaluation directory, or the directory of the given {@code eval.json}. */
  public static WrittenEvaluation read(Path evaluation) {
    Path dir = Files.isDirectory(evaluation) ? evaluation : evaluation.getParent();
    Path resultFile = dir.resolve(RESULT_FILE);
    Path samplesFile = dir.resolve(SAMPLES_FILE);
    for (Path file : List.of(resultFile, samplesFile)) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("not a finished evaluation: no " + file);
      }
    }
    try {
      JsonNode result = Json.mapper().readTree(resultFile.toFile()).path("result");
      if (!result.isObject()) {
        throw new IllegalArgumentException(resultFile + " is not an eval.json (no result)");
      }
      List<SampleRecord> records = new ArrayList<>();
      for (String line : Files.readAllLines(samplesFile)) {
        if (!line.isBlank()) {
          records.add(Json.mapper().readValue(line, SampleRecord.class));
        }
      }
      return new WrittenEvaluation(dir, Json.mapper().treeToValue(result, EvalResult.class),
          outcomes(records, samplesFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the evaluation in " + dir, e);
    }
  }

  /** Groups records by problem (first-seen order): the greedy one, then samples by index. */
  static List<ProblemOutcome> outcomes(List<SampleRecord> records, Path source) {
    Map<String, List<SampleRecord>> byProblem = new LinkedHashMap<>();
    for (SampleRecord r : records) {
      byProblem.computeIfAbsent(r.problemId(), id -> new ArrayList<>()).add(r);
    }
    List<ProblemOutcome> outcomes = new ArrayList<>(byProblem.size());
    byProblem.forEach((id, list) -> {
      Sample greedy = null;
      List<SampleRecord> sampled = new ArrayList<>();
      for (SampleRecord r : list) {
        if ("greedy".equals(r.kind())) {
          if (greedy != null) {
            throw new IllegalArgumentException(source + ": problem " + id + " has two greedy"
                + " solutions");
          }
          greedy = sample(r);
        } else {
          sampled.add(r);
        }
      }
      sampled.sort((x, y) -> Integer.compare(x.index(), y.index()));
      List<Sample> samples = new ArrayList<>(sampled.size());
      for (int i = 0; i < sampled.size(); i++) {
        if (sampled.get(i).index() != i) {
          throw new IllegalArgumentException(source + ": problem " + id + " has samples "
              + sampled.stream().map(SampleRecord::index).toList() + ", not 0.."
              + (sampled.size() - 1));
        }
        samples.add(sample(sampled.get(i)));
      }
      outcomes.add(new ProblemOutcome(id, list.get(0).gold(), greedy, samples));
    });
    return outcomes;
  }

  /** The sample as judged when written (the raw answer text is not kept: its normal form is). */
  private static Sample sample(SampleRecord r) {
    ExtractedAnswer.Rule rule = r.rule() == null ? ExtractedAnswer.Rule.NONE
        : ExtractedAnswer.Rule.valueOf(r.rule().toUpperCase(Locale.ROOT));
    ExtractedAnswer answer = rule == ExtractedAnswer.Rule.NONE || r.answer() == null
        ? ExtractedAnswer.NONE : new ExtractedAnswer(r.answer(), r.answer(), rule);
    return new Sample(r.completion(), answer, r.correct(), r.ormScore());
  }
}
