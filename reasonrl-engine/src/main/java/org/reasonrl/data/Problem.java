package org.reasonrl.data;

import java.util.Objects;

/**
 * One math word problem.
 *
 * @param id stable identifier (the record's {@code id} field, else file stem and line or index)
 * @param question the problem text shown to the model
 * @param referenceSolution a worked solution in GSM8K format (steps, {@code <<a*b=c>>}
 *     annotations, final {@code #### N} line), or {@code null} when the dataset has none (SVAMP)
 * @param answer the gold final answer, normalised by {@link Answers#normalize} (e.g. {@code 1000})
 */
public record Problem(String id, String question, String referenceSolution, String answer) {

  public Problem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
  }

  public boolean hasReferenceSolution() {
    return referenceSolution != null;
  }
}
