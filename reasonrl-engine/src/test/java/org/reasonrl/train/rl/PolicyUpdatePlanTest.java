package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link PolicyUpdatePlan} over ten samples whose "length" is their value. */
class PolicyUpdatePlanTest {

  private static final List<Integer> SAMPLES = IntStream.range(0, 10).boxed().toList();

  @Test
  void everyEpochTrainsOnEverySampleOnceInMinibatchesOfSimilarLengths() {
    PolicyUpdatePlan plan = new PolicyUpdatePlan(2, 4, 3, 11);
    List<List<List<Integer>>> steps = plan.updates(SAMPLES, 1, Integer::intValue);
    // ⌈10 / 4⌉ = 3 optimizer steps per epoch (4, 4, 2 samples), two epochs.
    assertEquals(6, steps.size());
    for (int epoch = 0; epoch < 2; epoch++) {
      List<Integer> seen = new ArrayList<>();
      for (List<List<Integer>> step : steps.subList(3 * epoch, 3 * epoch + 3)) {
        List<Integer> minibatch = new ArrayList<>();
        step.forEach(minibatch::addAll);
        // Micro-batches of at most 3, cut from the minibatch sorted by length.
        step.forEach(micro -> assertTrue(micro.size() <= 3));
        assertEquals(minibatch.stream().sorted().toList(), minibatch);
        seen.addAll(minibatch);
      }
      assertEquals(SAMPLES, seen.stream().sorted().toList(), "epoch " + epoch);
    }
    assertEquals(List.of(4, 4, 2), steps.subList(0, 3).stream()
        .map(step -> step.stream().mapToInt(List::size).sum()).toList());
  }

  @Test
  void theOrderIsAPureFunctionOfSeedAndIteration() {
    PolicyUpdatePlan plan = new PolicyUpdatePlan(1, 4, 4, 11);
    assertEquals(plan.updates(SAMPLES, 3, Integer::intValue),
        plan.updates(SAMPLES, 3, Integer::intValue));
    assertNotEquals(plan.updates(SAMPLES, 3, Integer::intValue),
        plan.updates(SAMPLES, 4, Integer::intValue));
    assertThrows(IllegalArgumentException.class,
        () -> plan.updates(List.<Integer>of(), 1, Integer::intValue));
  }
}
