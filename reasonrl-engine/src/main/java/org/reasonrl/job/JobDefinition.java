package org.reasonrl.job;

import java.nio.file.Path;
import org.reasonrl.run.RunDirectory;

/**
 * What a job is, as the runner needs it.
 *
 * @param goal the goal's name, e.g. {@code sft}: recorded in {@code run.json} and
 *     {@code spec.json}
 * @param output the run directory
 * @param identity what makes this run this run: any Jackson-serialisable value (usually the
 *     spec record), stored in {@code spec.json}; a rerun on the same output must match it field
 *     for field (a top-level {@code output} field is ignored: the directory is the output)
 * @param seed the seed recorded in {@code run.json}
 * @param resultType to read a finished run's result back
 * @param resultFile where the result is written in the run directory
 * @param needsEngine whether the job needs libtorch (rendering a report does not)
 * @param <R> the result
 */
public record JobDefinition<R>(String goal, Path output, Object identity, long seed,
    Class<R> resultType, String resultFile, boolean needsEngine) {

  /** A job on the engine whose result is {@code result.json}. */
  public static <R> JobDefinition<R> of(String goal, Path output, Object identity, long seed,
      Class<R> resultType) {
    return new JobDefinition<>(goal, output, identity, seed, resultType,
        RunDirectory.RESULT_FILE, true);
  }

  public JobDefinition<R> withResultFile(String file) {
    return new JobDefinition<>(goal, output, identity, seed, resultType, file, needsEngine);
  }

  public JobDefinition<R> withoutEngine() {
    return new JobDefinition<>(goal, output, identity, seed, resultType, resultFile, false);
  }
}
