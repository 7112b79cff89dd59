package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizationTest {

  @Test
  void aMicroBatchAboveTheBatchIsTheBatch() {
    Optimization larger = new Optimization(10, 4, 32, 1e-3, 2, 0.01, 1.0, 5, 5);
    assertEquals(4, larger.microBatchSize());
    // The rule changes no arithmetic: the batch source cuts a batch of 4 into the same single
    // micro-batch whether asked for micro-batches of 32 or of 4.
    List<TokenizedExample> examples = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      examples.add(new TokenizedExample(new int[] {1}, new int[] {10 + i, 2}));
    }
    BatchSource<SequenceBatch> asked = SupervisedBatches.source(examples, 3, 4, 32, 0);
    BatchSource<SequenceBatch> lowered = SupervisedBatches.source(examples, 3, 4,
        larger.microBatchSize(), 0);
    for (long step = 0; step < 5; step++) {
      List<SequenceBatch> a = asked.microBatches(step);
      List<SequenceBatch> b = lowered.microBatches(step);
      assertEquals(1, a.size());
      assertEquals(a.size(), b.size());
      assertArrayEquals(a.get(0).inputs(), b.get(0).inputs());
    }
  }

  @Test
  void aWarmupLongerThanTheRunIsTheRun() {
    Optimization shortRun = new Optimization(20, 8, 8, 2e-3, 100, 0.01, 1.0, 5, 10);
    assertEquals(20, shortRun.warmupSteps());
    // The schedule is the one the loop always used (it capped the warm-up itself).
    LearningRateSchedule expected = new LearningRateSchedule(2e-3, 20, 20,
        LearningRateSchedule.Decay.COSINE, 2e-4);
    LearningRateSchedule actual = shortRun.trainingOptions(1).schedule();
    for (long step = 0; step <= 20; step++) {
      assertEquals(expected.at(step), actual.at(step), 0.0);
    }
  }

  @Test
  void valuesWithinTheLimitsAreKept() {
    Optimization o = new Optimization(300, 32, 16, 1e-4, 20, 0.01, 1.0, 10, 50);
    assertEquals(16, o.microBatchSize());
    assertEquals(20, o.warmupSteps());
    assertEquals(new Optimization(50, 32, 16, 1e-4, 20, 0.01, 1.0, 10, 50), o.withSteps(50));
    assertEquals(10, o.withSteps(10).warmupSteps());
  }

  @Test
  void rejectsImpossibleSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> new Optimization(0, 8, 8, 1e-3, 0, 0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Optimization(10, 8, 0, 1e-3, 0, 0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Optimization(10, 8, 8, 1e-3, -1, 0, 1, 1, 1));
  }
}
