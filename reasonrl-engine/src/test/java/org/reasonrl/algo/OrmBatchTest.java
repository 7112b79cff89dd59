package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

class OrmBatchTest {

  private static final LabelledSample CORRECT = new LabelledSample("a", false, 0,
      new int[] {5, 6}, new int[] {7, 8, 9}, "x", "42", true);
  private static final LabelledSample WRONG = new LabelledSample("b", false, 1,
      new int[] {5}, new int[] {3}, "y", "7", false);

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void wholeSequencesWithTheLossOnEverySolutionTokenIncludingTheLast() {
    OrmBatch batch = OrmBatch.of(List.of(CORRECT, WRONG), new float[] {1f, 2f}, 0);
    assertArrayEquals(new int[] {5, 6, 7, 8, 9}, batch.ids()[0]);
    assertArrayEquals(new int[] {5, 3, 0, 0, 0}, batch.ids()[1]);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1}, batch.attentionMask()[0]);
    assertArrayEquals(new int[] {1, 1, 0, 0, 0}, batch.attentionMask()[1]);
    assertArrayEquals(new float[] {0, 0, 1, 1, 1}, batch.lossMask()[0]);
    assertArrayEquals(new float[] {0, 2, 0, 0, 0}, batch.lossMask()[1]); // weight 2
    assertArrayEquals(new float[] {1, 0}, batch.labels());
    assertEquals(7, batch.tokens());
  }

  @Test
  void maskedBceMatchesAHandComputation() {
    OrmBatch batch = OrmBatch.of(List.of(CORRECT, WRONG), new float[] {1f, 2f}, 0);
    // Masked-out positions get wild logits: they must not count.
    float[][] logits = {{30f, -30f, 0.5f, -40f, 2f}, {50f, -0.3f, 50f, -50f, 9f}};
    double expected = -log(sigmoid(0.5)) - log(sigmoid(-40)) - log(sigmoid(2))
        + 2 * -log(1 - sigmoid(-0.3));
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      double sum = OrmBatch.maskedBceSum(manager.create(logits), manager.create(batch.labels()),
          manager.create(batch.lossMask())).getFloat();
      assertEquals(expected, sum, 1e-4 * expected);
      assertThrows(IllegalArgumentException.class, () -> OrmBatch.maskedBceSum(
          manager.create(new float[2][4]), manager.create(batch.labels()),
          manager.create(batch.lossMask())));
    }
  }

  /** d/dx = mask · (sigmoid(x) − y), also when garbage is collected before the backward. */
  @Test
  void maskedBceGradientMatchesAHandComputationAfterGarbageCollection() throws Exception {
    OrmBatch batch = OrmBatch.of(List.of(CORRECT, WRONG), new float[] {1f, 2f}, 0);
    float[][] logits = {{1.5f, -2f, 0.5f, -4f, 2f}, {3f, -0.3f, 0.7f, -1f, 9f}};
    float[] expected = new float[10];
    for (int r = 0; r < 2; r++) {
      for (int t = 0; t < 5; t++) {
        expected[r * 5 + t] = (float) (batch.lossMask()[r][t]
            * (sigmoid(logits[r][t]) - batch.labels()[r]));
      }
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray x = manager.create(logits);
      x.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray sum = OrmBatch.maskedBceSum(x, manager.create(batch.labels()),
            manager.create(batch.lossMask()));
        for (int i = 0; i < 3; i++) {
          System.gc();
          Thread.sleep(30);
        }
        collector.backward(sum);
      }
      assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f);
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double log(double x) {
    return Math.log(x);
  }
}
