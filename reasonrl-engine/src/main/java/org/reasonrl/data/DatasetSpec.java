package org.reasonrl.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which problems to use.
 *
 * @param name {@code synthetic} (the embedded benchmark; generated in memory unless {@code path}
 *     names a directory it was written to), {@code gsm8k} or {@code svamp}
 * @param path a file, or a directory holding {@code <split>.jsonl} (GSM8K, synthetic) or
 *     {@code SVAMP.json}; required for gsm8k and svamp
 * @param split {@code train} or {@code test} (SVAMP has one split: all of it)
 * @param failOnBadRecord stop at the first malformed record (default) or skip and count them
 */
public record DatasetSpec(String name, Path path, String split, boolean failOnBadRecord) {

  public static final String SYNTHETIC = "synthetic";
  public static final String GSM8K = "gsm8k";
  public static final String SVAMP = "svamp";

  public DatasetSpec {
    name = name == null ? SYNTHETIC : name.trim().toLowerCase(Locale.ROOT);
    split = split == null ? "test" : split.trim().toLowerCase(Locale.ROOT);
    if (!name.equals(SYNTHETIC) && !name.equals(GSM8K) && !name.equals(SVAMP)) {
      throw new IllegalArgumentException("unknown dataset '" + name + "': expected "
          + SYNTHETIC + ", " + GSM8K + " or " + SVAMP);
    }
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("unknown split '" + split + "': expected train or test");
    }
    if (path == null && !name.equals(SYNTHETIC)) {
      throw new IllegalArgumentException("dataset " + name + " needs a path to its file");
    }
  }

  /** The embedded benchmark's split, generated with the default options. */
  public static DatasetSpec synthetic(String split) {
    return new DatasetSpec(SYNTHETIC, null, split, true);
  }

  public DatasetSpec withSplit(String otherSplit) {
    return new DatasetSpec(name, path, otherSplit, failOnBadRecord);
  }
}
