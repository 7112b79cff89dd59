package org.reasonrl.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.RuntimeInfo;

/** What a running job gets from {@link JobRunner}: its locked directory, record and log. */
public final class JobContext {

  private final RunDirectory run;
  private final RunRecord record;
  private final RuntimeInfo runtime;
  private final Consumer<String> log;

  JobContext(RunDirectory run, RunRecord record, RuntimeInfo runtime, Consumer<String> log) {
    this.run = run;
    this.record = record;
    this.runtime = runtime;
    this.log = log;
  }

  public RunDirectory run() {
    return run;
  }

  public RunRecord record() {
    return record;
  }

  /** The engine's runtime, or {@code null} for a job that does not need the engine. */
  public RuntimeInfo runtime() {
    return runtime;
  }

  public Consumer<String> log() {
    return log;
  }

  /**
   * A memoised sub-step (an EI round, an initial evaluation): if {@code file} (relative to the
   * run directory) exists, its value is read back; otherwise {@code work} runs and its value is
   * written there atomically. A kill during {@code work} leaves no file, so a rerun redoes only
   * the unfinished step.
   */
  public <T> T memo(String file, Class<T> type, Supplier<T> work) {
    Path path = run.resolve(file);
    if (Files.isRegularFile(path)) {
      return read(path, type);
    }
    T value = work.get();
    RunDirectory.writeJson(path, value);
    return value;
  }

  /** Whether the memoised sub-step {@code file} is done. */
  public boolean done(String file) {
    return Files.isRegularFile(run.resolve(file));
  }

  /** Reads a JSON file written by this run. */
  public static <T> T read(Path file, Class<T> type) {
    try {
      return Json.mapper().readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
