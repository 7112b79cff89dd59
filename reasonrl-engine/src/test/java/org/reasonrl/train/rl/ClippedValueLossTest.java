package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Three tokens and a padding entry, clip c = 0.25, old values all 0.5 (numbers exact in binary):
 * <pre>
 *   R     V      V_clip  (V−R)²     (V_clip−R)²  max        d(½·max)/dV
 *   1.5   1.25   0.75    0.0625     0.5625       0.5625     0       (clipped)
 *   1     0.625  0.625   0.140625   0.140625     0.140625   V − R = −0.375
 *   0     1      0.75    1          0.5625       1          V − R = 1
 * </pre>
 */
class ClippedValueLossTest {

  private static final float[] RETURNS = {1.5f, 1f, 0f, 7f};
  private static final float[] VALUES = {1.25f, 0.625f, 1f, -3f};
  private static final float[] MASK = {1, 1, 1, 0};
  private static final Shape SHAPE = new Shape(2, 2);

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void theLargerErrorCountsAndAClippedPredictionGetsNoGradient() {
    ValueLossResult[] result = new ValueLossResult[1];
    Autograd.Result out = run(0.25, result);
    assertEquals(0.5 * (0.5625 + 0.140625 + 1) / 3, out.value(), 1e-7);
    assertArrayEquals(new float[] {0, -0.375f / 3, 1f / 3, 0}, out.gradient(), 1e-7f);
    assertEquals(1.0 / 3, result[0].clipFraction(), 1e-12);
  }

  @Test
  void withoutAClipItIsHalfTheSquaredError() {
    ValueLossResult[] result = new ValueLossResult[1];
    Autograd.Result out = run(Double.POSITIVE_INFINITY, result);
    assertEquals(0.5 * (0.0625 + 0.140625 + 1) / 3, out.value(), 1e-7);
    assertArrayEquals(new float[] {-0.25f / 3, -0.375f / 3, 1f / 3, 0}, out.gradient(), 1e-7f);
    assertEquals(0, result[0].clipFraction());
  }

  private static Autograd.Result run(double clip, ValueLossResult[] result) {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray old = manager.full(SHAPE, 0.5f);
      NDArray returns = manager.create(RETURNS, SHAPE);
      NDArray mask = manager.create(MASK, SHAPE);
      ClippedValueLoss loss = new ClippedValueLoss(clip, new LossAggregation.TokenMean());
      return Autograd.of(manager, VALUES, SHAPE, values -> {
        result[0] = loss.compute(values, old, returns, mask);
        return result[0].loss().mean();
      });
    }
  }
}
