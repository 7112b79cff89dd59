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
            : syntheticFiles(spec, SyntheticBenchmark.VERSION);
        case DatasetSpec.SYNTHETIC_V2 -> spec.path() == null
            ? generated(SyntheticV2Options.defaults(), spec.split())
            : syntheticFiles(spec, SyntheticBenchmarkV2.VERSION);
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
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("the embedded benchmark version 1 has splits train and"
          + " test, not '" + split + "'");
    }
    SyntheticBenchmark.Splits splits = new SyntheticBenchmark(options).generate();
    List<Problem> problems = split.equals("train") ? splits.train() : splits.test();
    return new ProblemSet(DatasetSpec.SYNTHETIC + "/" + split, problems, List.of());
  }

  /** A split of the version-2 benchmark generated in memory (deterministic in the options). */
  public static ProblemSet generated(SyntheticV2Options options, String split) {
    List<Problem> problems = new SyntheticBenchmarkV2(options).generate().problems(split);
    return new ProblemSet(DatasetSpec.SYNTHETIC_V2 + "/" + split, problems, List.of());
  }

  /**
   * A written synthetic benchmark's split. When the directory describes its generator
   * ({@link SyntheticFiles#DESCRIPTION_FILE}), it must be the version the dataset names, so a
   * version-1 directory is never read as version 2 or the other way round.
   */
  private static ProblemSet syntheticFiles(DatasetSpec spec, String version) throws IOException {
    Path description = spec.path().resolve(SyntheticFiles.DESCRIPTION_FILE);
    if (Files.isDirectory(spec.path()) && Files.isRegularFile(description)) {
      String written = SyntheticFiles.generatorOf(description);
      if (!version.equals(written)) {
        throw new IllegalArgumentException("dataset " + spec.name() + " at " + spec.path()
            + " was written by generator " + written + ", not " + version
            + "; name the dataset after the generator that wrote it");
      }
    }
    return Gsm8k.load(splitFile(spec.path(), spec.split() + ".jsonl"), spec.failOnBadRecord());
  }

  private static Path splitFile(Path path, String fileInDirectory) {
    Path file = Files.isDirectory(path) ? path.resolve(fileInDirectory) : path;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("dataset file " + file + " does not exist");
    }
    return file;
  }
}
