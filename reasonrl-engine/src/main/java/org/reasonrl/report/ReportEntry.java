package org.reasonrl.report;

import java.nio.file.Path;

/**
 * One row of a report: a label (e.g. {@code SFT}, {@code EI_2}) and the evaluation it shows.
 *
 * @param evaluation an {@code eval.json} file, or the directory holding it
 */
public record ReportEntry(String label, Path evaluation) {

  /** Parses {@code label=path}, the form Maven parameters and the command line use. */
  public static ReportEntry parse(String text, Path base) {
    int equals = text.indexOf('=');
    if (equals <= 0 || equals == text.length() - 1) {
      throw new IllegalArgumentException("a report entry must read label=path but was '" + text
          + "'");
    }
    return new ReportEntry(text.substring(0, equals).trim(),
        base.resolve(text.substring(equals + 1).trim()));
  }
}
