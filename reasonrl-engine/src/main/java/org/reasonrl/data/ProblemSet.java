package org.reasonrl.data;

import java.util.List;

/**
 * The problems a loader read from one file, and the records it skipped (only when asked to skip
 * bad records instead of failing).
 */
public record ProblemSet(String source, List<Problem> problems, List<SkippedRecord> skipped) {

  public ProblemSet {
    problems = List.copyOf(problems);
    skipped = List.copyOf(skipped);
  }

  public int size() {
    return problems.size();
  }

  public int skippedCount() {
    return skipped.size();
  }
}
