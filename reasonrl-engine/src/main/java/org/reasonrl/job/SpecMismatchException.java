package org.reasonrl.job;

import java.util.List;

/** A rerun asked an output directory that holds another run to do something else. */
public final class SpecMismatchException extends IllegalArgumentException {

  private final List<String> differences;

  SpecMismatchException(String message, List<String> differences) {
    super(message);
    this.differences = List.copyOf(differences);
  }

  /** One line per differing field: {@code path: there → here}. */
  public List<String> differences() {
    return differences;
  }
}
