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
      String status) {}

  private final RunDirectory run;
  private final String goal;
  private final RuntimeInfo runtime;
  private final long seed;
  private final JsonNode config;
  private final Instant started;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private Instant ended;
  private String status = "running";

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

  /** Marks the run ended with {@code status} (e.g. {@code "completed"}, {@code "failed: ..."}). */
  public void finish(String status) {
    this.status = status;
    this.ended = Instant.now();
    write();
  }

  public Snapshot snapshot() {
    return new Snapshot(goal, runtime, seed, config, started.toString(),
        ended == null ? null : ended.toString(), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds)), status);
  }

  private void write() {
    run.writeJson(RunDirectory.RUN_RECORD_FILE, snapshot());
  }
}
