package org.reasonrl.job;

import java.nio.file.Path;

/**
 * One goal's work. A job only says what it is and does its work; {@link JobRunner} owns what
 * every goal shares: engine start, input checks before the output is touched, the run-directory
 * lock, the identity check against {@code spec.json}, {@code run.json} and the result file.
 *
 * <p>Contract: {@link #validate()} reads and checks every input and writes nothing;
 * {@link #run(JobContext)} resumes from whatever the locked run directory holds (a rerun after a
 * crash ends where an uninterrupted run would) and returns the result, which the runner writes
 * to {@link #resultFile()}. A rerun of a finished run with the same identity returns that file's
 * result without running again.
 *
 * @param <R> the result, a Jackson-serialisable record
 */
public interface Job<R> {

  /** The goal's name, e.g. {@code sft}: recorded in {@code run.json} and {@code spec.json}. */
  String goal();

  /** The run directory. */
  Path output();

  /**
   * What makes this run this run: any Jackson-serialisable value (usually the spec record).
   * Stored in {@code spec.json}; a rerun on the same output must match it field for field. A
   * top-level {@code output} field is ignored (the directory is the output).
   */
  Object identity();

  /** The seed recorded in {@code run.json}. */
  long seed();

  /** The result type, to read a finished run's result back. */
  Class<R> resultType();

  /** Checks every input (files, parameters, their consistency); must not write anything. */
  default void validate() {}

  /** The work, in the locked run directory. */
  R run(JobContext context);

  /** Where the result is written; {@code result.json} unless a goal documents another name. */
  default String resultFile() {
    return org.reasonrl.run.RunDirectory.RESULT_FILE;
  }

  /** Whether the job needs libtorch (rendering a report does not). */
  default boolean needsEngine() {
    return true;
  }

  /**
   * Whether a finished result still describes the inputs as they are now. Default yes; an
   * evaluation says no once its checkpoint was rewritten after it, and is then run again.
   */
  default boolean finishedResultIsCurrent(R finished, Path resultFile) {
    return true;
  }
}
