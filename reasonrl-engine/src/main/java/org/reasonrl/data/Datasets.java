package org.reasonrl.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads the problems a {@link DatasetSpec} names; an empty result is an error, never a no-op. */
public final class Datasets {

  private Datasets() {}

  public static ProblemSet load(DatasetSpec spec) {
    ProblemSet set;
    try {
      set = switch (spec.name()) {
        case DatasetSpec.SYNTHETIC -> spec.path() == null
            ? generated(SyntheticOptions.defaults(), spec.split())
            : Gsm8k.load(splitFile(spec.path(), spec.split() + ".jsonl"), spec.failOnBadRecord());
        case DatasetSpec.GSM8K ->
            Gsm8k.load(splitFile(spec.path(), spec.split() + ".jsonl"), spec.failOnBadRecord());
        default -> Svamp.load(splitFile(spec.path(), "SVAMP.json"), spec.failOnBadRecord());
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + spec.name() + " at " + spec.path()
          + ": " + e.getMessage(), e);
    }
    if (set.problems().isEmpty()) {
      throw new IllegalArgumentException("dataset " + spec.name() + " (" + spec.split() + ")"
          + (spec.path() == null ? "" : " at " + spec.path()) + " has no problems"
          + (set.skippedCount() > 0 ? " (" + set.skippedCount() + " malformed records skipped)" : ""));
    }
    return set;
  }

  /** A split of the embedded benchmark generated in memory (deterministic in the options). */
  public static ProblemSet generated(SyntheticOptions options, String split) {
    SyntheticBenchmark.Splits splits = new SyntheticBenchmark(options).generate();
    List<Problem> problems = split.equals("train") ? splits.train() : splits.test();
    return new ProblemSet(DatasetSpec.SYNTHETIC + "/" + split, problems, List.of());
  }

  private static Path splitFile(Path path, String fileInDirectory) {
    Path file = Files.isDirectory(path) ? path.resolve(fileInDirectory) : path;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("dataset file " + file + " does not exist");
    }
    return file;
  }
}
