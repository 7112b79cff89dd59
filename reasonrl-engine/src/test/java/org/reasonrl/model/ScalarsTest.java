package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

class ScalarsTest {

  private static final float[] X = {0.25f, 1f, 2f, 4f};

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void valuesMatchJavaArithmetic() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray x = manager.create(new float[] {-2f, 0.5f, 4f});
      assertArrayEquals(new float[] {-6f, 1.5f, 12f}, Scalars.mul(x, 3).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {-0.5f, 0.125f, 1f}, Scalars.div(x, 4).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {4f, 0.25f, 16f}, Scalars.pow(x, 2).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0f, 0.5f, 4f}, Scalars.maximum(x, 0).toFloatArray(), 1e-6f);
    }
  }

  /** d/dx of sum(f(x)), hand-derived, even when garbage is collected before the backward. */
  @Test
  void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() throws Exception {
    float[] times3 = new float[X.length];
    float[] over4 = new float[X.length];
    float[] inverseSqrt = new float[X.length];
    float[] aboveOne = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      times3[i] = 3f;
      over4[i] = 0.25f;
      inverseSqrt[i] = (float) (-0.5 * Math.pow(X[i], -1.5));
      aboveOne[i] = X[i] > 1.5 ? 1f : 0f;
    }
    assertArrayEquals(times3, gradient(x -> Scalars.mul(x, 3)), 1e-6f);
    assertArrayEquals(over4, gradient(x -> Scalars.div(x, 4)), 1e-6f);
    assertArrayEquals(inverseSqrt, gradient(x -> Scalars.pow(x, -0.5)), 1e-6f);
    assertArrayEquals(aboveOne, gradient(x -> Scalars.maximum(x, 1.5)), 1e-6f);
  }

  private static float[] gradient(UnaryOperator<NDArray> f) throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray x = manager.create(X);
      x.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray y = f.apply(x).sum();
        collectGarbage();
        collector.backward(y);
      }
      return x.getGradient().toFloatArray();
    }
  }

  /** Collects garbage and gives the reference handler time to free unreachable direct buffers. */
  static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(30);
    }
  }
}
