package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
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

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double log(double x) {
    return Math.log(x);
  }
}
