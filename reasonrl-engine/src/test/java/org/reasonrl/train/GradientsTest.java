package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

class GradientsTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** Four sequences of length 5 over a vocabulary of 6, masks covering 2, 4, 1 and 3 tokens. */
  static TokenBatch fourSequences() {
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    List<float[]> masks = List.of(new float[] {0, 0, 0, 1, 1}, new float[] {0, 1, 1, 1, 1},
        new float[] {0, 0, 0, 0, 1}, new float[] {0, 0, 1, 1, 1});
    for (int s = 0; s < 4; s++) {
      long[] sequence = new long[6];
      for (int t = 0; t < 6; t++) {
        sequence[t] = (s * 3 + t * t) % 6;
      }
      inputs.add(java.util.Arrays.copyOfRange(sequence, 0, 5));
      targets.add(java.util.Arrays.copyOfRange(sequence, 1, 6));
    }
    return new TokenBatch(inputs, targets, masks);
  }

  @Test
  void accumulatedGradientEqualsTheGradientOfTheMeanLossOverTheFullBatch() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, 6, 5, SeedStream.of(1, "tiny-lm"));
      ParameterList parameters = model.getParameters();
      TokenBatch batch = fourSequences();

      // One big batch: backward of the masked mean, no accumulation machinery.
      double fullLoss;
      try (NDManager scope = manager.newSubManager();
          GradientCollector collector = scope.getEngine().newGradientCollector()) {
        NDArray logits = model.forward(new ParameterStore(scope, false),
            new NDList(batch.inputArray(scope)), true).singletonOrThrow();
        NDArray loss = TokenLosses.maskedNllMean(logits, batch.targetArray(scope),
            batch.maskArray(scope));
        collector.backward(loss);
        fullLoss = loss.getFloat();
      }
      Map<String, float[]> expected = gradients(parameters);
      Gradients.zero(parameters);

      // Micro-batches of unequal size and unequal token counts (1 + 3 sequences; 2 + 8 tokens).
      Gradients.Accumulated accumulated;
      try (NDManager scope = manager.newSubManager()) {
        accumulated = Gradients.accumulate(parameters,
            List.of(batch.slice(0, 1), batch.slice(1, 4)), TokenBatch.objective(model), scope);
      }
      assertEquals(10, accumulated.count());
      assertEquals(20, accumulated.tokens());
      assertEquals(fullLoss, accumulated.meanLoss(), 1e-6);
      Map<String, float[]> actual = gradients(parameters);
      assertEquals(4, expected.size());
      for (String name : expected.keySet()) {
        assertTrue(maxAbs(expected.get(name)) > 1e-4, "gradient of " + name + " is all zero");
        assertArrayEquals(expected.get(name), actual.get(name), 1e-6f, name);
      }
    }
  }

  @Test
  void clippingScalesToTheMaxNormAndReturnsThePreClipNorm() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Linear linear = Linear.builder().setUnits(1).build();
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      ParameterList parameters = linear.getParameters();
      // loss = 3·w0 + 4·w1 + 12·b: gradient (3, 4) and (12); global norm sqrt(9+16+144) = 13.
      try (NDManager scope = manager.newSubManager();
          GradientCollector collector = scope.getEngine().newGradientCollector()) {
        NDArray w = parameters.get("weight").getArray();
        NDArray b = parameters.get("bias").getArray();
        collector.backward(w.mul(scope.create(new float[] {3, 4}, new Shape(1, 2))).sum()
            .add(b.mul(12).sum()));
      }
      assertEquals(13, Gradients.globalNorm(parameters), 1e-6);
      assertEquals(13, Gradients.clipByGlobalNorm(parameters, 26), 1e-6);
      assertEquals(13, Gradients.globalNorm(parameters), 1e-6);
      assertEquals(13, Gradients.clipByGlobalNorm(parameters, 6.5), 1e-6);
      assertEquals(6.5, Gradients.globalNorm(parameters), 1e-6);
      assertArrayEquals(new float[] {1.5f, 2f}, gradients(parameters).get("weight"), 1e-6f);
      assertArrayEquals(new float[] {6f}, gradients(parameters).get("bias"), 1e-6f);
    }
  }

  @Test
  void zeroClearsEvenNonFiniteGradients() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Linear linear = Linear.builder().setUnits(2).build();
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      ParameterList parameters = linear.getParameters();
      try (NDManager scope = manager.newSubManager();
          GradientCollector collector = scope.getEngine().newGradientCollector()) {
        collector.backward(parameters.get("weight").getArray().mul(Float.NaN).sum()
            .add(parameters.get("bias").getArray().sum()));
      }
      assertTrue(Double.isNaN(Gradients.globalNorm(parameters)));
      Gradients.zero(parameters);
      assertEquals(0, Gradients.globalNorm(parameters));
    }
  }

  static Map<String, float[]> gradients(ParameterList parameters) {
    Map<String, float[]> result = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : parameters) {
      try (NDArray gradient = pair.getValue().getArray().getGradient()) {
        result.put(pair.getKey(), gradient.toFloatArray());
      }
    }
    return result;
  }

  static Map<String, float[]> parameters(ParameterList parameters) {
    Map<String, float[]> result = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : parameters) {
      result.put(pair.getKey(), pair.getValue().getArray().toFloatArray());
    }
    return result;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }
}
