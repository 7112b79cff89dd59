package org.reasonrl.eval;

import java.util.List;

/**
 * Everything generated for one problem: the greedy solution (for maj@1; {@code null} when not
 * generated) and the temperature samples, in the order they were drawn.
 */
public record ProblemOutcome(String problemId, String gold, Sample greedy, List<Sample> samples) {

  public ProblemOutcome {
    samples = List.copyOf(samples);
  }
}
