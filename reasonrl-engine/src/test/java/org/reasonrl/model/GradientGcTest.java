package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.train.Gradients;
import org.reasonrl.train.TokenLosses;

/**
 * The backward pass must not depend on when the JVM collects garbage. DJL's scalar ops
 * ({@code x.mul(0.5f)}, {@code x.pow(-0.5f)}) wrap the number in a tensor over a direct
 * ByteBuffer and close it at once; autograd keeps that tensor for the backward, so a collection
 * between forward and backward freed memory the backward still read (NaN gradient norms, now and
 * then, with a finite loss). Forcing collections in that window makes it show every time.
 */
class GradientGcTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void gradientsAreTheSameWhenGarbageIsCollectedBetweenForwardAndBackward() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 7);
      assertGcDoesNotChangeGradients(model, manager);
    }
  }

  @Test
  void loraGradientsAreTheSameWhenGarbageIsCollectedBetweenForwardAndBackward()
      throws Exception {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(true), 7);
      Lora.apply(model, new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj")),
          manager, SeedStream.of(3, "lora"));
      assertGcDoesNotChangeGradients(model, manager);
    }
  }

  private static void assertGcDoesNotChangeGradients(CausalLm model, NDManager manager)
      throws InterruptedException {
    Map<String, float[]> quiet = gradients(model, manager, false);
    Map<String, float[]> collected = gradients(model, manager, true);
    assertFalse(quiet.isEmpty(), "no trainable parameters");
    for (Map.Entry<String, float[]> entry : quiet.entrySet()) {
      float[] expected = entry.getValue();
      float[] actual = collected.get(entry.getKey());
      double scale = 0;
      for (float v : expected) {
        assertTrue(Float.isFinite(v), entry.getKey() + " has a non-finite gradient");
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-6 * scale + 1e-12,
            entry.getKey() + "[" + i + "] changed when garbage was collected before backward");
      }
    }
  }

  /** Gradients of the summed NLL of a fixed batch; optionally collect garbage before backward. */
  private static Map<String, float[]> gradients(CausalLm model, NDManager manager,
      boolean collectGarbage) throws InterruptedException {
    var parameters = model.getParameters();
    Gradients.zero(parameters);
    try (NDManager scope = manager.newSubManager();
        GradientCollector collector = manager.getEngine().newGradientCollector()) {
      int[][] ids = {{1, 5, 9, 3, 7, 2, 11, 4}, {0, 0, 6, 8, 10, 12, 14, 3}};
      int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1, 1}};
      int[][] targets = {{5, 9, 3, 7, 2, 11, 4, 1}, {0, 0, 8, 10, 12, 14, 3, 2}};
      NDArray logits = model.forward(new ParameterStore(scope, false), scope.create(ids),
          scope.create(mask), null, true).logits();
      NDArray loss = TokenLosses.maskedNllSum(logits, scope.create(targets),
          scope.create(mask).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
      if (collectGarbage) {
        ScalarsTest.collectGarbage();
      }
      collector.backward(loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> entry : model.trainableParameters().entrySet()) {
      try (NDArray gradient = entry.getValue().getArray().getGradient()) {
        out.put(entry.getKey(), gradient.toFloatArray());
      }
    }
    return out;
  }
}
