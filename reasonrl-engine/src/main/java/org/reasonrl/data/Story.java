package org.reasonrl.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One drawn question of the embedded benchmark as arithmetic: its text, and the steps whose left
 * fold answers it. Each generator version writes its own solutions from it: version 1 the single
 * line per step its templates fix ({@link #v1Lines}), version 2 any path of its
 * {@link SolutionSpace}.
 *
 * @param question the question text
 * @param money whether amounts are dollars ({@code $<<...>>12}) rather than objects
 * @param objects the objects counted ({@code apples}); unused for money
 * @param steps the arithmetic in story order; the first may be an opening product
 * @param v1Lines version 1's solution lines, one a step, without the final {@code #### N}
 */
record Story(String question, boolean money, String objects, List<Step> steps,
    List<String> v1Lines) {

  /** The four operations, with their calculator symbols. */
  enum Operation {
    ADD('+'), SUBTRACT('-'), MULTIPLY('*'), DIVIDE('/');

    final char symbol;

    Operation(char symbol) {
      this.symbol = symbol;
    }

    boolean commutative() {
      return this == ADD || this == MULTIPLY;
    }

    boolean additive() {
      return this == ADD || this == SUBTRACT;
    }
  }

  /**
   * One step: {@code left operation amount = result}.
   *
   * @param left the value before the step; for an opening product, its first factor (given)
   * @param base who holds {@code left} (the person compared with in "3 times as many as P")
   * @param holder who holds the result
   * @param verb the solution's verb for the holder ({@code has}, {@code gets}, {@code earns})
   * @param opening an opening product ("4 bags of 6"), whose left operand is given, not computed
   */
  record Step(Operation operation, int left, int amount, int result, String base, String holder,
      String verb, boolean opening) {}

  Story {
    steps = List.copyOf(steps);
    v1Lines = List.copyOf(v1Lines);
  }

  int answer() {
    return steps.get(steps.size() - 1).result();
  }

  /**
   * The numbers the question gives (the start or both opening factors, then every step's
   * amount), sorted, after the operation symbols in story order: two questions with the same key
   * are the same arithmetic told differently ("twins"), e.g. {@code [*, +] [3, 4, 5]}.
   */
  String twinKey() {
    StringBuilder operations = new StringBuilder();
    List<Integer> numbers = new ArrayList<>();
    numbers.add(steps.get(0).left());
    for (Step step : steps) {
      operations.append(step.operation().symbol);
      numbers.add(step.amount());
    }
    Collections.sort(numbers);
    return operations + " " + numbers;
  }
}
