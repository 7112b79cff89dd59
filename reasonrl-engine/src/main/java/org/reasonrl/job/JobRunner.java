package org.reasonrl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;

/**
 * Runs a {@link Job} through the one lifecycle every goal shares:
 *
 * <ol>
 *   <li>start the engine (once per JVM; grad mode off on this thread) if the job needs it;
 *   <li>{@link Job#validate()}: every input is checked before the output is touched, so bad
 *       input leaves nothing behind;
 *   <li>lock the run directory ({@code .lock}; a second writer fails at once, told which goal,
 *       pid and host hold it; a lock whose holder was killed is taken over, and said so);
 *   <li>claim its identity ({@code spec.json}): a different spec on a used output is refused,
 *       naming the differing fields; so is, for a job that continues earlier work, an input
 *       path that now holds other bytes ({@code inputs.json}: a base checkpoint retrained in
 *       place, an edited dataset), naming the field and the file;
 *   <li>a finished run (its result file present and {@code run.json} saying finished) returns
 *       its result without running again;
 *   <li>otherwise run (resuming whatever the directory holds) under a {@code run.json} that says
 *       running, then finished, or failed with the reason; write the result file.
 * </ol>
 */
public final class JobRunner {

  private JobRunner() {}

  public static <R> R run(Job<R> job, Consumer<String> log) {
    Objects.requireNonNull(log, "log");
    JobDefinition<R> definition = job.definition();
    RuntimeInfo runtime = definition.needsEngine() ? EngineRuntime.ensureStarted() : null;
    checkOutput(definition.output());
    job.validate();
    try (RunDirectory run = RunDirectory.open(definition.output(), definition.goal())) {
      run.recoveredFrom().ifPresent(killed -> log.accept("took over the lock of " + run.root()
          + " from " + killed.describe() + ", which ended without releasing it (killed?);"
          + " resuming what it left"));
      claim(run, job);
      Path resultFile = run.resolve(definition.resultFile());
      if (Files.isRegularFile(resultFile)
          && RunRecord.FINISHED.equals(RunRecord.statusOf(run))) {
        R finished = JobContext.read(resultFile, definition.resultType());
        if (job.finishedResultIsCurrent(finished, resultFile)) {
          log.accept(definition.goal() + " already finished in " + run.root() + "; returning its "
              + definition.resultFile());
          return finished;
        }
      }
      RunRecord record = new RunRecord(run, definition.goal(), runtime, definition.seed(),
          definition.identity());
      try {
        R result = job.run(new JobContext(run, record, runtime, log));
        run.writeJson(definition.resultFile(), result);
        record.finished();
        return result;
      } catch (RuntimeException | Error e) {
        record.failed(String.valueOf(e.getMessage()));
        throw e;
      }
    }
  }

  /**
   * The run's identity ({@code spec.json}) and, for a job that continues earlier work, the
   * inputs it started from ({@code inputs.json}, recorded before {@code spec.json} so that a run
   * with an identity always has them).
   */
  private static void claim(RunDirectory run, Job<?> job) {
    JobDefinition<?> definition = job.definition();
    boolean fresh = !Files.isRegularFile(run.resolve(SpecIdentity.FILE));
    if (fresh && job.continuesEarlierWork()) {
      InputFiles.record(run, definition.identity());
    }
    SpecIdentity.claim(run, definition.goal(), definition.identity());
    if (!fresh && job.continuesEarlierWork()) {
      InputFiles.check(run, definition.goal(), definition.identity());
    }
  }

  /**
   * Whether {@code error} is the user's to fix (bad parameters, data, checkpoints, a busy or
   * mismatched output directory) rather than a fault of the engine: front ends report the
   * former as a plain message, without a stack trace.
   */
  public static boolean isUserError(Throwable error) {
    return error instanceof IllegalArgumentException || error instanceof CheckpointException
        || error instanceof RunDirectoryLockedException;
  }

  /** The output must be a directory or creatable as one; said before any work. */
  private static void checkOutput(Path output) {
    if (output == null) {
      throw new IllegalArgumentException("an output directory is required");
    }
    Path absolute = output.toAbsolutePath().normalize();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new IllegalArgumentException("output " + absolute + " is a file, not a directory;"
          + " choose a directory for the run");
    }
    for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new IllegalArgumentException("output " + absolute + " cannot be created: " + p
              + " is a file");
        }
        if (!Files.isWritable(p) && !Files.exists(absolute)) {
          throw new IllegalArgumentException("output " + absolute + " cannot be created: " + p
              + " is not writable");
        }
        return;
      }
    }
  }
}
