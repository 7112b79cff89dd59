package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

/**
 * Initial weights, heads, adapters and dropout masks are pure functions of (seed, purpose):
 * nothing another job does with libtorch's global generator can change them.
 */
class SeededInitTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** Scrambles libtorch's global generator the way another job or an old start would. */
  private static void disturbLibtorch(NDManager manager, long seed) {
    JniUtils.setSeed(seed);
    manager.randomNormal(new Shape(17)).close();
    manager.randomUniform(0, 1, new Shape(5)).close();
  }

  private static Map<String, float[]> weights(CausalLm model) {
    return ModelFixtures.weights(model);
  }

  private static void assertSameWeights(Map<String, float[]> expected,
      Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    // Arrays.equals on floats compares bit patterns: bit-identical, not merely close.
    expected.forEach((name, values) -> assertTrue(Arrays.equals(values, actual.get(name)), name));
  }

  @Test
  void sameStreamGivesBitIdenticalWeightsWhateverLibtorchDrewInBetween() {
    LlamaConfig config = ModelFixtures.tiny(false);
    Map<String, float[]> first;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      disturbLibtorch(manager, 1);
      first = weights(CausalLm.create(config).initializeRandom(manager, SeedStream.of(9, "init")));
      disturbLibtorch(manager, 2);
      Map<String, float[]> again =
          weights(CausalLm.create(config).initializeRandom(manager, SeedStream.of(9, "init")));
      assertSameWeights(first, again);
    }
    try (NDManager fresh = NDManager.newBaseManager(EngineRuntime.device())) {
      disturbLibtorch(fresh, 3);
      assertSameWeights(first,
          weights(CausalLm.create(config).initializeRandom(fresh, SeedStream.of(9, "init"))));
      Map<String, float[]> otherPurpose =
          weights(CausalLm.create(config).initializeRandom(fresh, SeedStream.of(9, "other")));
      first.forEach((name, values) -> assertEquals(name.endsWith("norm.weight"),
          Arrays.equals(values, otherPurpose.get(name)), name));
    }
  }

  @Test
  void eachTensorIsNormalFromItsOwnNamedStreamAndNormsStartAtOne() {
    LlamaConfig twoLayers = ModelFixtures.tiny(false);
    LlamaConfig oneLayer = LlamaConfig.of(16, 40, 1, 4, 2, 23, 64, false);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      SeedStream seeds = SeedStream.of(4, "pretrain/init");
      CausalLm model = CausalLm.create(twoLayers).initializeRandom(manager, seeds);
      model.namedParameters().forEach((name, p) -> {
        float[] values = p.getArray().toFloatArray();
        if (name.endsWith("norm.weight")) {
          float[] ones = new float[values.length];
          Arrays.fill(ones, 1f);
          assertArrayEquals(ones, values, name);
        } else {
          assertArrayEquals(seeds.derive(name).normal(values.length, 0.02), values, name);
        }
      });
      // A tensor does not depend on the rest of the model: layer 0 of a one-layer model is the
      // same as of a two-layer one.
      Map<String, float[]> small = weights(CausalLm.create(oneLayer).initializeRandom(manager,
          SeedStream.of(4, "pretrain/init")));
      Map<String, float[]> big = weights(model);
      assertTrue(Arrays.equals(big.get("model.layers.0.mlp.up_proj.weight"),
          small.get("model.layers.0.mlp.up_proj.weight")));
      assertTrue(Arrays.equals(big.get("lm_head.weight"), small.get("lm_head.weight")));
    }
  }

  @Test
  void djlsOwnInitializationIsRefusedForRandomParameters() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = CausalLm.create(ModelFixtures.tiny(true));
      IllegalStateException error = assertThrows(IllegalStateException.class,
          () -> model.initialize(manager, DataType.FLOAT32, new Shape(1, 1)));
      assertTrue(error.getMessage().contains("SeedStream"), error.getMessage());
    }
  }

  @Test
  void scalarHeadWeightIsSeededAndBiasZero() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      disturbLibtorch(manager, 5);
      ScalarHead head = ScalarHead.create(16, manager, SeedStream.of(8, "orm/reward-head"));
      float[] weight = head.namedParameters().get("score.weight").getArray().toFloatArray();
      assertArrayEquals(SeedStream.of(8, "orm/reward-head").derive("score.weight").normal(16, 0.02),
          weight);
      assertArrayEquals(new float[] {0}, head.namedParameters().get("score.bias").getArray()
          .toFloatArray());
      disturbLibtorch(manager, 6);
      assertArrayEquals(weight, ScalarHead.create(16, manager, SeedStream.of(8, "orm/reward-head"))
          .namedParameters().get("score.weight").getArray().toFloatArray());
    }
  }

  @Test
  void loraAIsKaimingUniformFromItsNamedStreamBZeroAndTheBaseUntouched() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = CausalLm.create(ModelFixtures.tiny(false))
          .initializeRandom(manager, SeedStream.of(1, "init"));
      Map<String, float[]> base = weights(model);
      SeedStream seeds = SeedStream.of(1, "lora");
      disturbLibtorch(manager, 7);
      Lora.apply(model, new LoraConfig(4, 8, 0.0, List.of("q_proj", "down_proj")), manager, seeds);
      Map<String, Parameter> parameters = model.namedParameters();
      base.forEach((name, values) ->
          assertTrue(Arrays.equals(values, parameters.get(name).getArray().toFloatArray()), name));
      String a = "model.layers.1.mlp.down_proj.lora_A.weight";
      float[] drawn = parameters.get(a).getArray().toFloatArray();
      // down_proj maps intermediate (40) to hidden: A is (4, 40), bound 1/sqrt(40).
      assertEquals(4 * 40, drawn.length);
      assertArrayEquals(seeds.derive(a).uniform(drawn.length, 1 / Math.sqrt(40)), drawn);
      for (float v : drawn) {
        assertTrue(Math.abs(v) <= 1 / Math.sqrt(40), "outside Kaiming-uniform bound: " + v);
      }
      float[] b = parameters.get("model.layers.1.mlp.down_proj.lora_B.weight").getArray()
          .toFloatArray();
      assertArrayEquals(new float[16 * 4], b);
    }
  }

  /**
   * Inverted dropout on the adapter's input, checked against a Java computation of
   * y = x W^T + scale * ((x * mask) A^T) B^T with the mask drawn from the adapter's stream.
   */
  @Test
  void loraDropoutMasksComeFromTheAdaptersStream() {
    float p = 0.5f;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Projection projection = new Projection(IN, OUT);
      projection.addAdapter(RANK, SCALE, p);
      projection.drawRandomParameters("", manager, SeedStream.of(2, "projection"));
      projection.initialize(manager, DataType.FLOAT32, new Shape(1, IN));
      projection.loraB().getArray().set(SeedStream.of(3, "b").uniform(OUT * RANK, 1));
      float[] x = SeedStream.of(4, "x").uniform(2 * IN, 1);

      projection.seedDropout(SeedStream.fromSeed(11));
      SeedStream maskDraws = SeedStream.fromSeed(11);
      for (int call = 0; call < 2; call++) {
        float[] mask = new float[x.length];
        for (int i = 0; i < mask.length; i++) {
          mask[i] = maskDraws.nextDouble() < p ? 0 : 1 / (1 - p);
        }
        assertArrayEquals(reference(projection, x, mask), forward(projection, manager, x, true),
            1e-5f, "call " + call);
      }
      float[] noMask = new float[x.length];
      Arrays.fill(noMask, 1f);
      assertArrayEquals(reference(projection, x, noMask), forward(projection, manager, x, false),
          1e-5f, "no dropout outside training");
      projection.seedDropout(null);
      IllegalStateException error = assertThrows(IllegalStateException.class,
          () -> forward(projection, manager, x, true));
      assertTrue(error.getMessage().contains("Lora.seedDropout"), error.getMessage());
    }
  }

  private static final int IN = 8;
  private static final int OUT = 3;
  private static final int RANK = 2;
  private static final float SCALE = 0.5f;

  private static float[] forward(Projection projection, NDManager manager, float[] x,
      boolean training) {
    try (NDManager step = manager.newSubManager()) {
      return projection.apply(new ParameterStore(step, false),
          step.create(x, new Shape(x.length / IN, IN)), training).toFloatArray();
    }
  }

  private static float[] reference(Projection projection, float[] x, float[] mask) {
    float[] w = projection.weight().getArray().toFloatArray();
    float[] a = projection.loraA().getArray().toFloatArray();
    float[] b = projection.loraB().getArray().toFloatArray();
    int rows = x.length / IN;
    float[] y = new float[rows * OUT];
    for (int row = 0; row < rows; row++) {
      for (int o = 0; o < OUT; o++) {
        double base = 0;
        for (int i = 0; i < IN; i++) {
          base += x[row * IN + i] * w[o * IN + i];
        }
        double delta = 0;
        for (int r = 0; r < RANK; r++) {
          double h = 0;
          for (int i = 0; i < IN; i++) {
            h += x[row * IN + i] * mask[row * IN + i] * a[r * IN + i];
          }
          delta += h * b[o * RANK + r];
        }
        y[row * OUT + o] = (float) (base + SCALE * delta);
      }
    }
    return y;
  }
}
