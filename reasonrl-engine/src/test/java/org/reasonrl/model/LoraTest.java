package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

class LoraTest {

  private static NDManager manager;
  private static final int[][] IDS = {{0, 3, 4, 5, 6}, {7, 8, 9, 10, 11}};
  private static final int[][] MASK = {{0, 1, 1, 1, 1}, {1, 1, 1, 1, 1}};

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static float[] logits(CausalLm model) {
    return ModelFixtures.logits(manager, model, IDS, MASK);
  }

  private static void assertClose(float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "element " + i);
    }
  }

  /** Next-token cross-entropy on the fixed batch, a few Adam steps on whatever has gradients. */
  private static void train(CausalLm model, int steps) {
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
    for (int s = 0; s < steps; s++) {
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        ParameterStore ps = new ParameterStore(step, false);
        NDArray ids = ModelFixtures.matrix(step, IDS);
        NDArray logits = model.forward(ps, ids, ModelFixtures.matrix(step, MASK), null, true)
            .logits().get(new NDIndex(":, :-1, :"));
        NDArray targets = ids.get(new NDIndex(":, 1:")).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray loss = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg();
        collector.backward(loss);
        for (Parameter p : model.namedParameters().values()) {
          NDArray array = p.getArray();
          if (array.hasGradient()) {
            adam.update(p.getId(), array, array.getGradient());
          }
        }
      }
    }
  }

  @Test
  void zeroBEqualsBaseThenOnlyAdaptersTrainAndMergeMatches() {
    CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 41);
    float[] base = logits(model);
    LoraConfig config = new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj"));
    Lora.apply(model, config, manager, SeedStream.of(7, "lora"));
    assertTrue(model.namedParameters().containsKey("model.layers.1.self_attn.q_proj.lora_A.weight"));
    assertTrue(model.namedParameters().containsKey("model.layers.0.mlp.down_proj.lora_B.weight"));
    assertFalse(model.namedParameters().containsKey("model.layers.0.self_attn.k_proj.lora_A.weight"));
    assertEquals(2 * 3 * 2, model.trainableParameters().size());
    assertClose(base, logits(model), 0);

    Map<String, float[]> before = new HashMap<>();
    model.namedParameters().forEach((n, p) -> before.put(n, p.getArray().toFloatArray()));
    train(model, 3);
    model.namedParameters().forEach((name, p) -> {
      boolean changed = !java.util.Arrays.equals(before.get(name), p.getArray().toFloatArray());
      assertEquals(name.contains(".lora_"), changed, name);
    });
    float[] adapted = logits(model);
    assertFalse(java.util.Arrays.equals(base, adapted), "training changed nothing");

    Path adapterDir = tmp.resolve("adapter");
    Lora.save(model, adapterDir);
    assertTrue(Files.isRegularFile(adapterDir.resolve("adapter_config.json")));
    Safetensors saved = Safetensors.open(adapterDir.resolve("adapter_model.safetensors"));
    assertTrue(saved.tensors().containsKey(
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
    assertEquals(12, saved.tensors().size());
    assertEquals(config, Lora.readConfig(adapterDir));

    // Adapters loaded onto a fresh copy of the base give the adapted logits.
    CausalLm fresh = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 41);
    Lora.load(fresh, adapterDir, manager);
    assertClose(adapted, logits(fresh), 1e-6);

    Lora.merge(model);
    assertTrue(model.namedParameters().keySet().stream().noneMatch(n -> n.contains("lora_")));
    assertClose(adapted, logits(model), 1e-4);
    Path merged = tmp.resolve("merged");
    Checkpoint.save(model, merged, null);
    assertClose(adapted, logits(Checkpoint.load(merged, manager)), 1e-4);
  }

  @Test
  void unmergedAdaptersAreNotSilentlyDroppedFromACheckpoint() {
    CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 42);
    Lora.apply(model, LoraConfig.defaults(), manager, SeedStream.of(1, "lora"));
    CheckpointException error = assertThrows(CheckpointException.class,
        () -> Checkpoint.save(model, tmp.resolve("x"), null));
    assertTrue(error.getMessage().contains("lora_"), error.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new LoraConfig(4, 8, 0, List.of("qkv")));
  }

  @Test
  void scalarHeadIsALinearMapAndRoundTrips() {
    ScalarHead head = ScalarHead.create(16, manager, SeedStream.of(3, "head"));
    head.namedParameters().get("score.bias").getArray().set(new float[] {0.25f});
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray hidden = step.create(SeedStream.of(4, "hidden").normal(2 * 3 * 16, 1),
          new ai.djl.ndarray.types.Shape(2, 3, 16));
      NDArray values = head.forward(ps, hidden, false);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 3), values.getShape());
      float[] h = hidden.toFloatArray();
      float[] w = head.namedParameters().get("score.weight").getArray().toFloatArray();
      float[] v = values.toFloatArray();
      for (int row = 0; row < 6; row++) {
        double dot = 0.25;
        for (int i = 0; i < 16; i++) {
          dot += h[row * 16 + i] * w[i];
        }
        assertEquals(dot, v[row], 1e-5);
      }
      Path file = tmp.resolve(ScalarHead.VALUE_HEAD_FILE);
      head.save(file);
      ScalarHead loaded = ScalarHead.load(file, 16, manager);
      assertClose(v, loaded.forward(ps, hidden, false).toFloatArray(), 0);
      assertThrows(CheckpointException.class, () -> ScalarHead.load(file, 8, manager));
    }
  }
}
