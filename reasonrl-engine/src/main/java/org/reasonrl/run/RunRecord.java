package org.reasonrl.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * What ran: versions, seed, the full config, start and end times and how long each stage took.
 * It is rewritten into the run directory ({@code run.json}) after every stage, so even a killed
 * run leaves a record of what it had done.
 */
public final class RunRecord {

  /** The JSON form of {@code run.json}. */
  public record Snapshot(
      String goal,
      RuntimeInfo runtime,
      long seed,
      JsonNode config,
      String started,
      String ended,
      Map<String, Double> stageSeconds,
      String status,
      String failure) {}

  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";

  private final RunDirectory run;
  private final String goal;
  private final RuntimeInfo runtime;
  private final long seed;
  private final JsonNode config;
  private final Instant started;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private Instant ended;
  private String status = RUNNING;
  private String failure;

  /**
   * Starts a record and writes it at once.
   *
   * @param config any Jackson-serialisable spec object; stored as JSON
   */
  public RunRecord(RunDirectory run, String goal, RuntimeInfo runtime, long seed, Object config) {
    this.run = run;
    this.goal = goal;
    this.runtime = runtime;
    this.seed = seed;
    this.config = Json.mapper().valueToTree(config);
    this.started = Instant.now();
    stageSeconds.putAll(earlierStageSeconds(run, goal));
    write();
  }

  /** Runs {@code work} as the stage {@code name}, records its wall time, and returns its value. */
  public <T> T stage(String name, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      recordStage(name, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Adds {@code duration} to stage {@code name} (stages may repeat, e.g. one per EI round). */
  public void recordStage(String name, Duration duration) {
    stageSeconds.merge(name, duration.toNanos() / 1e9, Double::sum);
    write();
  }

  /** Marks the run ended with {@code status}. */
  public void finish(String status) {
    this.status = status;
    this.ended = Instant.now();
    write();
  }

  /** Marks the run {@value #FINISHED}. */
  public void finished() {
    finish(FINISHED);
  }

  /** Marks the run {@value #FAILED}, with what went wrong. */
  public void failed(String why) {
    this.failure = why;
    finish(FAILED);
  }

  /** The status {@code run.json} records for the directory, or {@code null} without one. */
  public static String statusOf(RunDirectory run) {
    return readEarlier(run).map(node -> node.path("status").asText(null)).orElse(null);
  }

  /**
   * A resumed run's stage times continue from the earlier attempts' (same goal), so
   * {@code run.json} tells the whole cost of the result, not only the last attempt's.
   */
  private static Map<String, Double> earlierStageSeconds(RunDirectory run, String goal) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    readEarlier(run).filter(node -> goal.equals(node.path("goal").asText()))
        .ifPresent(node -> node.path("stageSeconds").fields()
            .forEachRemaining(e -> seconds.put(e.getKey(), e.getValue().asDouble())));
    return seconds;
  }

  private static java.util.Optional<JsonNode> readEarlier(RunDirectory run) {
    java.nio.file.Path file = run.resolve(RunDirectory.RUN_RECORD_FILE);
    if (!java.nio.file.Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Json.mapper().readTree(file.toFile()));
    } catch (java.io.IOException unreadable) {
      return java.util.Optional.empty(); // a torn record is rewritten by this run
    }
  }

  public Snapshot snapshot() {
    return new Snapshot(goal, runtime, seed, config, started.toString(),
        ended == null ? null : ended.toString(),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds)), status, failure);
  }

  private void write() {
    run.writeJson(RunDirectory.RUN_RECORD_FILE, snapshot());
  }
}
