package org.reasonrl.job;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One goal's work. A job only says what it is and does its work; {@link JobRunner} owns what
 * every goal shares: engine start, input checks before the output is touched, the run-directory
 * lock, the identity check against {@code spec.json}, {@code run.json} and the result file.
 *
 * <p>Contract: {@link #validate()} reads and checks every input and writes nothing;
 * {@link #run(JobContext)} resumes from whatever the locked run directory holds (a rerun after a
 * crash ends where an uninterrupted run would) and returns the result, which the runner writes
 * to the definition's result file. A rerun of a finished run with the same identity returns
 * that file's result without running again.
 *
 * @param <R> the result, a Jackson-serialisable record
 */
public interface Job<R> {

  /** What this job is: goal, output, identity, seed, result type. */
  JobDefinition<R> definition();

  /** Checks every input (files, parameters, their consistency); must not write anything. */
  default void validate() {}

  /** The work, in the locked run directory. */
  R run(JobContext context);

  /**
   * Whether a finished result still describes the inputs as they are now. Default yes; an
   * evaluation says no once its checkpoint was rewritten after it, and is then run again.
   */
  default boolean finishedResultIsCurrent(R finished, Path resultFile) {
    return true;
  }

  /**
   * Whether a rerun continues this run's earlier work (checkpoints, memoised steps, a finished
   * result returned as it is). Then the files it started from (every path in its identity but
   * the output) must still hold the same bytes, or the rerun is refused, so that a result never
   * claims inputs it was not made from. Default yes; a job that redoes its work when its inputs
   * change (an evaluation of a retrained checkpoint, a report) says no.
   */
  default boolean continuesEarlierWork() {
    return true;
  }

  /** Runs (or resumes, or returns the finished result of) this job: {@link JobRunner#run}. */
  default R run(Consumer<String> log) {
    return JobRunner.run(this, log);
  }
}
