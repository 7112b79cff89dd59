package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

class AdamWTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** Linear(4→3) then Linear(3→2); the first layer frozen (as base weights under LoRA). */
  private static SequentialBlock twoLayers(NDManager manager) {
    SequentialBlock block = new SequentialBlock()
        .add(Linear.builder().setUnits(3).build())
        .add(Linear.builder().setUnits(2).build());
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    block.getChildren().valueAt(0).freezeParameters(true);
    return block;
  }

  /**
   * loss = Σ_p Σ_i (c_i·p_i²/2 + d_i·p_i) over all parameters, so ∂loss/∂p_i = c_i·p_i + d_i,
   * which plain Java can compute without DJL.
   */
  private static double coefficientC(int i) {
    return 0.5 + (i % 5) * 0.3;
  }

  private static double coefficientD(int i) {
    return Math.cos(i * 0.7);
  }

  private static void backwardQuadratic(ParameterList parameters, NDManager manager) {
    try (NDManager scope = manager.newSubManager();
        GradientCollector collector = scope.getEngine().newGradientCollector()) {
      ParameterStore store = new ParameterStore(scope, false);
      NDArray loss = scope.zeros(new Shape());
      for (Pair<String, Parameter> pair : parameters) {
        NDArray p = store.getValue(pair.getValue(), scope.getDevice(), true);
        int n = (int) p.size();
        float[] c = new float[n];
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
          c[i] = (float) coefficientC(i);
          d[i] = (float) coefficientD(i);
        }
        NDArray cs = scope.create(c, p.getShape());
        NDArray ds = scope.create(d, p.getShape());
        loss = loss.add(p.square().mul(cs).div(2).sum()).add(p.mul(ds).sum());
      }
      collector.backward(loss);
    }
  }

  @Test
  void severalStepsMatchAPlainJavaAdamW() {
    AdamW.Config config = new AdamW.Config(0.9, 0.99, 1e-8, 0.1, false);
    double[] rates = {0.05, 0.04, 0.03, 0.02, 0.01, 0.01};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      SequentialBlock block = twoLayers(manager);
      ParameterList parameters = block.getParameters();
      Map<String, double[]> params = new LinkedHashMap<>();
      Map<String, double[]> m = new LinkedHashMap<>();
      Map<String, double[]> v = new LinkedHashMap<>();
      Map<String, Boolean> trainable = new LinkedHashMap<>();
      Map<String, Integer> rank = new LinkedHashMap<>();
      for (Pair<String, Parameter> pair : parameters) {
        NDArray array = pair.getValue().getArray();
        double[] values = toDoubles(array.toFloatArray());
        params.put(pair.getKey(), values);
        m.put(pair.getKey(), new double[values.length]);
        v.put(pair.getKey(), new double[values.length]);
        trainable.put(pair.getKey(), array.hasGradient());
        rank.put(pair.getKey(), array.getShape().dimension());
      }
      assertEquals(2, trainable.values().stream().filter(t -> t).count(), trainable.toString());

      try (AdamW optimizer = new AdamW(config, parameters, manager)) {
        for (int t = 1; t <= rates.length; t++) {
          backwardQuadratic(parameters, manager);
          optimizer.update(rates[t - 1]);
          Gradients.zero(parameters);
          // The reference, written out independently in doubles.
          for (String name : params.keySet()) {
            if (!trainable.get(name)) {
              continue;
            }
            double[] p = params.get(name);
            double[] mt = m.get(name);
            double[] vt = v.get(name);
            double lr = rates[t - 1];
            boolean decay = rank.get(name) > 1;
            for (int i = 0; i < p.length; i++) {
              double g = coefficientC(i) * p[i] + coefficientD(i);
              mt[i] = 0.9 * mt[i] + 0.1 * g;
              vt[i] = 0.99 * vt[i] + 0.01 * g * g;
              double mHat = mt[i] / (1 - Math.pow(0.9, t));
              double vHat = vt[i] / (1 - Math.pow(0.99, t));
              if (decay) {
                p[i] -= lr * 0.1 * p[i];
              }
              p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
          }
        }
        assertEquals(rates.length, optimizer.step());
      }
      for (Pair<String, Parameter> pair : parameters) {
        assertArrayEquals(params.get(pair.getKey()),
            toDoubles(pair.getValue().getArray().toFloatArray()), 1e-6, pair.getKey());
      }
    }
  }

  @Test
  void handWorkedSingleStep() {
    // p = 1, g = 0.5, lr = 0.1, λ = 0.1, β = (0.9, 0.999): m = 0.05, v = 0.00025,
    // m̂ = 0.5, v̂ = 0.25, step = 0.5 / (0.5 + 1e-8) ≈ 1. Matrix: 1·(1 − 0.01) − 0.1 = 0.89.
    // Vector (no decay on rank ≤ 1): 1 − 0.1 = 0.9.
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Linear linear = Linear.builder().setUnits(1).build();
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      ParameterList parameters = linear.getParameters();
      for (Pair<String, Parameter> pair : parameters) {
        NDArray array = pair.getValue().getArray();
        array.set(new float[(int) array.size()]);
        array.addi(1);
      }
      try (NDManager scope = manager.newSubManager();
          GradientCollector collector = scope.getEngine().newGradientCollector()) {
        NDArray loss = scope.zeros(new Shape());
        for (Pair<String, Parameter> pair : parameters) {
          loss = loss.add(pair.getValue().getArray().sum().mul(0.5f));
        }
        collector.backward(loss);
      }
      try (AdamW optimizer = new AdamW(new AdamW.Config(0.9, 0.999, 1e-8, 0.1, false),
          parameters, manager)) {
        optimizer.update(0.1);
      }
      assertArrayEquals(new float[] {0.89f, 0.89f},
          parameters.get("weight").getArray().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0.9f}, parameters.get("bias").getArray().toFloatArray(),
          1e-6f);
    }
  }

  @Test
  void savedStateResumesExactly() throws Exception {
    AdamW.Config config = AdamW.Config.defaults();
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      SequentialBlock straight = twoLayers(manager);
      SequentialBlock resumed = twoLayers(manager);
      copyParameters(straight.getParameters(), resumed.getParameters());
      try (AdamW a = new AdamW(config, straight.getParameters(), manager)) {
        for (int t = 0; t < 4; t++) {
          backwardQuadratic(straight.getParameters(), manager);
          a.update(0.01);
          Gradients.zero(straight.getParameters());
        }
      }
      byte[] saved;
      try (AdamW b = new AdamW(config, resumed.getParameters(), manager)) {
        for (int t = 0; t < 2; t++) {
          backwardQuadratic(resumed.getParameters(), manager);
          b.update(0.01);
          Gradients.zero(resumed.getParameters());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.save(out);
        saved = out.toByteArray();
      }
      try (AdamW c = new AdamW(config, resumed.getParameters(), manager)) {
        c.load(new ByteArrayInputStream(saved), "test state");
        assertEquals(2, c.step());
        for (int t = 0; t < 2; t++) {
          backwardQuadratic(resumed.getParameters(), manager);
          c.update(0.01);
          Gradients.zero(resumed.getParameters());
        }
      }
      for (Pair<String, Parameter> pair : straight.getParameters()) {
        assertArrayEquals(pair.getValue().getArray().toFloatArray(),
            resumed.getParameters().get(pair.getKey()).getArray().toFloatArray(), pair.getKey());
      }
    }
  }

  @Test
  void loadRejectsStateOfAnotherModel() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      SequentialBlock block = twoLayers(manager);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (AdamW a = new AdamW(AdamW.Config.defaults(), block.getParameters(), manager)) {
        backwardQuadratic(block.getParameters(), manager);
        a.update(0.01);
        a.save(out);
      }
      Linear other = Linear.builder().setUnits(7).build();
      other.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
      try (AdamW b = new AdamW(AdamW.Config.defaults(), other.getParameters(), manager)) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> b.load(new ByteArrayInputStream(out.toByteArray()), "opt.safetensors"));
        assertTrue(error.getMessage().startsWith("opt.safetensors: tensor '"),
            error.getMessage());
      }
    }
  }

  static void copyParameters(ParameterList from, ParameterList to) {
    for (Pair<String, Parameter> pair : from) {
      to.get(pair.getKey()).getArray().set(pair.getValue().getArray().toFloatArray());
    }
  }

  private static double[] toDoubles(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
