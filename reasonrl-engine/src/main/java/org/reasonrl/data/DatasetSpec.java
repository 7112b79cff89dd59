package org.reasonrl.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which problems to use.
 *
 * @param name {@code synthetic} (the embedded benchmark, version 1: {@link SyntheticBenchmark};
 *     generated in memory unless {@code path} names a directory it was written to),
 *     {@code synthetic-v2} (version 2: {@link SyntheticBenchmarkV2}, several solution paths a
 *     question, a fixed train set, twin-free splits), {@code gsm8k} or {@code svamp}. The
 *     version is in the name so that a run's identity tells v1 and v2 apart.
 * @param path a file, or a directory holding {@code <split>.jsonl} (GSM8K, synthetic) or
 *     {@code SVAMP.json}; required for gsm8k and svamp
 * @param split {@code train}, {@code validation} (synthetic-v2, or a directory that holds
 *     {@code validation.jsonl}) or {@code test} (SVAMP has one split: all of it)
 * @param failOnBadRecord stop at the first malformed record (default) or skip and count them
 */
public record DatasetSpec(String name, Path path, String split, boolean failOnBadRecord) {

  public static final String SYNTHETIC = "synthetic";
  public static final String SYNTHETIC_V2 = SyntheticBenchmarkV2.VERSION;
  public static final String GSM8K = "gsm8k";
  public static final String SVAMP = "svamp";

  public DatasetSpec {
    name = name == null ? SYNTHETIC : name.trim().toLowerCase(Locale.ROOT);
    split = split == null ? "test" : split.trim().toLowerCase(Locale.ROOT);
    if (!name.equals(SYNTHETIC) && !name.equals(SYNTHETIC_V2) && !name.equals(GSM8K)
        && !name.equals(SVAMP)) {
      throw new IllegalArgumentException("unknown dataset '" + name + "': expected "
          + SYNTHETIC + ", " + SYNTHETIC_V2 + ", " + GSM8K + " or " + SVAMP);
    }
    if (!split.equals("train") && !split.equals("validation") && !split.equals("test")) {
      throw new IllegalArgumentException(
          "unknown split '" + split + "': expected train, validation or test");
    }
    if (split.equals("validation") && name.equals(SYNTHETIC) && path == null) {
      throw new IllegalArgumentException("the embedded benchmark version 1 (" + SYNTHETIC
          + ") has no validation split; use " + SYNTHETIC_V2 + " or carve one from train");
    }
    if (path == null && !name.equals(SYNTHETIC) && !name.equals(SYNTHETIC_V2)) {
      throw new IllegalArgumentException("dataset " + name + " needs a path to its file");
    }
  }

  /** The embedded benchmark's split, generated with the default options. */
  public static DatasetSpec synthetic(String split) {
    return new DatasetSpec(SYNTHETIC, null, split, true);
  }

  /** The version-2 embedded benchmark's split, generated with its default options. */
  public static DatasetSpec syntheticV2(String split) {
    return new DatasetSpec(SYNTHETIC_V2, null, split, true);
  }

  /**
   * Whether the dataset has its own validation split: synthetic-v2 in memory, or a directory
   * holding {@code validation.jsonl}.
   */
  public boolean hasValidationSplit() {
    if (path == null) {
      return name.equals(SYNTHETIC_V2);
    }
    return java.nio.file.Files.isRegularFile(path.resolve("validation.jsonl"));
  }

  public DatasetSpec withSplit(String otherSplit) {
    return new DatasetSpec(name, path, otherSplit, failOnBadRecord);
  }
}
