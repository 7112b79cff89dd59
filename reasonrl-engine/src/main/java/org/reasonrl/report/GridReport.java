package org.reasonrl.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.run.Json;
import org.reasonrl.run.AtomicFiles;

/**
 * Renders evaluations as one HTML page in the paper's format: a row per method, columns maj@1,
 * maj@K, rerank@K and pass@K, each with its bootstrap 95% interval, plus what produced it
 * (checkpoint, dataset, K, n, temperature, durations, versions). Missing metrics show as "–",
 * never as a number.
 */
public final class GridReport {

  static final String TEMPLATE = "org/reasonrl/report/grid.html.vm";

  private GridReport() {}

  /** One formatted metric: value and interval, or absent. */
  public record Cell(boolean present, String value, String interval) {}

  /** One formatted row. */
  public record Row(String label, Cell maj1, Cell majK, Cell rerankK, Cell passK, int problems,
      int k, int samples, String temperature, String dataset, String checkpoint,
      String voting, String diversity, String novelty, String seconds) {}

  /** Reads every entry's eval.json and writes the page to {@code output} atomically. */
  public static Path render(String title, List<ReportEntry> entries, Path output) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one evaluation");
    }
    List<Row> rows = new ArrayList<>();
    String versions = null;
    for (ReportEntry entry : entries) {
      JsonNode eval = read(entry);
      rows.add(row(entry.label(), eval));
      if (versions == null) {
        JsonNode runtime = eval.path("runtime");
        versions = String.format(Locale.ROOT, "ReasonRL %s, %s %s (DJL %s), %s, Java %s",
            runtime.path("reasonrlVersion").asText("?"), runtime.path("engineName").asText("?"),
            runtime.path("engineVersion").asText("?"), runtime.path("djlVersion").asText("?"),
            runtime.path("device").asText("?"), runtime.path("javaVersion").asText("?"));
      }
    }
    VelocityContext context = new VelocityContext();
    context.put("title", title);
    context.put("rows", rows);
    context.put("versions", versions);
    context.put("generated", Instant.now().toString());
    StringWriter html = new StringWriter();
    engine().getTemplate(TEMPLATE, StandardCharsets.UTF_8.name()).merge(context, html);
    AtomicFiles.write(output, html.toString().getBytes(StandardCharsets.UTF_8));
    return output;
  }

  /** The eval.json an entry names (its directory's, or the file itself); it must exist. */
  static Path evaluationFile(ReportEntry entry) {
    Path file = Files.isDirectory(entry.evaluation())
        ? entry.evaluation().resolve(Evaluation.RESULT_FILE) : entry.evaluation();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("report entry '" + entry.label() + "': no evaluation at "
          + file);
    }
    return file;
  }

  private static JsonNode read(ReportEntry entry) {
    Path file = evaluationFile(entry);
    try {
      JsonNode root = Json.mapper().readTree(file.toFile());
      if (!root.path("result").path("passAtK").isObject()) {
        throw new IllegalArgumentException("report entry '" + entry.label() + "': " + file
            + " is not an eval.json (no result.passAtK)");
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Row row(String label, JsonNode eval) {
    JsonNode result = eval.path("result");
    JsonNode options = eval.path("spec").path("options");
    Map<String, Double> seconds = new LinkedHashMap<>();
    eval.path("seconds").fields().forEachRemaining(e -> seconds.put(e.getKey(),
        e.getValue().asDouble()));
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    return new Row(label, cell(result.path("maj1")), cell(result.path("majAtK")),
        cell(result.path("rerankAtK")), cell(result.path("passAtK")),
        result.path("problems").asInt(), result.path("k").asInt(),
        result.path("samplesPerProblem").asInt(),
        options.has("temperature") ? format(options.path("temperature").asDouble()) : "?",
        eval.path("dataset").asText("?"), eval.path("checkpoint").asText("?"), voting(result),
        diversity(result), novelty(result.path("novelty")),
        String.format(Locale.ROOT, "%.1f s", total));
  }

  /** Which samples maj@K and rerank@K use: files before the disjoint groups have no groups. */
  private static String voting(JsonNode result) {
    int groups = result.path("groups").asInt(0);
    return groups > 0 ? groups + (groups == 1 ? " group" : " disjoint groups") + " of K"
        : "first K";
  }

  private static String diversity(JsonNode result) {
    JsonNode distinct = result.path("meanDistinctCorrect");
    if (!distinct.isNumber()) {
      return "no correct solution";
    }
    JsonNode editDistance = result.path("meanPairwiseEditDistance");
    int withCorrect = result.path("problemsWithCorrect").asInt(0);
    return String.format(Locale.ROOT, "%.2f distinct correct%s%s", distinct.asDouble(),
        editDistance.isNumber()
            ? String.format(Locale.ROOT, ", edit distance %.1f", editDistance.asDouble()) : "",
        withCorrect > 0 ? " (" + withCorrect + " problems with one)" : "");
  }

  private static String novelty(JsonNode novelty) {
    if (!novelty.isObject()) {
      return "–";
    }
    JsonNode share = novelty.path("novelShare");
    return share.isNumber()
        ? String.format(Locale.ROOT, "%.1f%% of %d correct", 100 * share.asDouble(),
            novelty.path("correctSamples").asInt())
        : "no correct sample";
  }

  private static Cell cell(JsonNode metric) {
    if (!metric.isObject()) {
      return new Cell(false, "–", "");
    }
    return new Cell(true, format(metric.path("value").asDouble()),
        "[" + format(metric.path("ciLow").asDouble()) + ", "
            + format(metric.path("ciHigh").asDouble()) + "]");
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static VelocityEngine engine() {
    Properties properties = new Properties();
    properties.setProperty("resource.loaders", "classpath");
    properties.setProperty("resource.loader.classpath.class",
        "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
    properties.setProperty("runtime.strict_mode.enable", "true");
    // Every value inserted into the page is HTML-escaped (labels and paths come from users).
    properties.setProperty("event_handler.reference_insertion.class",
        "org.apache.velocity.app.event.implement.EscapeHtmlReference");
    VelocityEngine engine = new VelocityEngine(properties);
    engine.init();
    return engine;
  }
}
