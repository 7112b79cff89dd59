package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

class TokenLossesTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void maskedMeanMatchesAHandComputation() {
    // B=1, T=3, V=2. Row 0 logits (0, ln 3): p = (1/4, 3/4). Row 1 (0, 0): p = (1/2, 1/2).
    // Row 2 (ln 9, 0): p = (9/10, 1/10). Targets (1, 0, 1), mask (0, 1, 1): the prompt token at
    // t=0 does not count, so the loss is (-ln 1/2 - ln 1/10) / 2 = (ln 2 + ln 10) / 2.
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logits = manager.create(new float[] {0, (float) Math.log(3), 0, 0,
          (float) Math.log(9), 0}, new Shape(1, 3, 2));
      NDArray targets = manager.create(new long[] {1, 0, 1}, new Shape(1, 3));
      NDArray mask = manager.create(new float[] {0, 1, 1}, new Shape(1, 3));
      double expected = (Math.log(2) + Math.log(10)) / 2;
      assertEquals(expected, TokenLosses.maskedNllMean(logits, targets, mask).getFloat(), 1e-6);
      assertEquals(2 * expected, TokenLosses.maskedNllSum(logits, targets, mask).getFloat(), 1e-6);
      Objective.Loss loss = TokenLosses.maskedNllLoss(logits, targets, mask);
      assertEquals(2 * expected, loss.sum().getFloat(), 1e-6);
      assertEquals(2, loss.count());
      assertEquals(3, loss.tokens());
      assertArrayEquals(new float[] {(float) Math.log(0.75), (float) Math.log(0.5),
          (float) Math.log(0.1)}, TokenLosses.tokenLogProbs(logits, targets).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void logProbsAgreeWithSoftmaxComputedInJava() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      int b = 2;
      int t = 3;
      int v = 5;
      float[] raw = new float[b * t * v];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (float) Math.sin(i * 1.7) * 3;
      }
      long[] tokens = {4, 0, 2, 1, 3, 3};
      NDArray logProbs = TokenLosses.tokenLogProbs(manager.create(raw, new Shape(b, t, v)),
          manager.create(tokens, new Shape(b, t)));
      float[] actual = logProbs.toFloatArray();
      for (int row = 0; row < b * t; row++) {
        double normaliser = 0;
        for (int k = 0; k < v; k++) {
          normaliser += Math.exp(raw[row * v + k]);
        }
        double expected = raw[row * v + (int) tokens[row]] - Math.log(normaliser);
        assertEquals(expected, actual[row], 1e-5, "row " + row);
      }
    }
  }

  @Test
  void rejectsAnEmptyMaskAndMismatchedShapes() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logits = manager.zeros(new Shape(1, 2, 3));
      NDArray targets = manager.zeros(new Shape(1, 2)).toType(ai.djl.ndarray.types.DataType.INT64,
          false);
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
          () -> TokenLosses.maskedNllMean(logits, targets, manager.zeros(new Shape(1, 2))));
      assertTrue(empty.getMessage().contains("selects no token"), empty.getMessage());
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> TokenLosses.maskedNllSum(logits, targets, manager.ones(new Shape(2, 2))));
      assertTrue(shape.getMessage().contains("mask must be (1, 2)"), shape.getMessage());
    }
  }
}
