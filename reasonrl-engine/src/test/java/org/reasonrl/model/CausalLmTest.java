package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

class CausalLmTest {

  private static NDManager manager;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void parameterNamesAreHuggingFaceNames() {
    LlamaConfig config = ModelFixtures.tiny(false);
    CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
    var names = model.namedParameters().keySet();
    assertTrue(names.contains("model.embed_tokens.weight"));
    assertTrue(names.contains("model.layers.1.self_attn.k_proj.weight"));
    assertTrue(names.contains("model.layers.0.mlp.down_proj.weight"));
    assertTrue(names.contains("model.layers.0.post_attention_layernorm.weight"));
    assertTrue(names.contains("model.norm.weight"));
    assertTrue(names.contains("lm_head.weight"));
    assertEquals(2 + 9 * 2 + 1, names.size());
    assertEquals(names, java.util.Set.copyOf(model.getParameters().keys()));
    long count = model.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    assertEquals(config.parameterCount(), count);
    assertEquals(new Shape(8, 16), model.namedParameters()
        .get("model.layers.0.self_attn.v_proj.weight").getArray().getShape());
    CausalLm tied = CausalLm.create(ModelFixtures.tiny(true))
        .initializeRandom(manager, SeedStream.of(1, "init"));
    assertTrue(!tied.namedParameters().containsKey("lm_head.weight"));
  }

  @Test
  void sameSeedGivesSameWeights() {
    LlamaConfig config = ModelFixtures.tiny(false);
    float[] a = CausalLm.create(config).initializeRandom(manager, SeedStream.of(5, "init"))
        .namedParameters()
        .get("model.layers.1.mlp.up_proj.weight").getArray().toFloatArray();
    float[] b = CausalLm.create(config).initializeRandom(manager, SeedStream.of(5, "init"))
        .namedParameters()
        .get("model.layers.1.mlp.up_proj.weight").getArray().toFloatArray();
    assertTrue(Arrays.equals(a, b));
    double sq = 0;
    for (float v : a) {
      sq += v * v;
    }
    assertEquals(0.02, Math.sqrt(sq / a.length), 0.004, "init std");
  }

  @Test
  void paddedBatchMatchesPlainJavaReference() {
    for (boolean tied : new boolean[] {false, true}) {
      LlamaConfig config = ModelFixtures.tiny(tied);
      CausalLm model = ModelFixtures.randomModel(manager, config, tied ? 11 : 12);
      ReferenceLlama reference = new ReferenceLlama(config, ModelFixtures.weights(model));
      int[][] rows = {{3, 7, 1, 9, 4}, {5, 2, 8}, {6, 6, 10, 11, 12, 13, 14}};
      int[][][] padded = ModelFixtures.leftPad(rows, 0);
      // A hole in the middle of row 2: positions must not advance over it (cumsum of the mask).
      padded[1][2][2] = 0;
      try (NDManager step = manager.newSubManager()) {
        ParameterStore ps = new ParameterStore(step, false);
        DecoderOutput out = model.forward(ps, ModelFixtures.matrix(step, padded[0]),
            ModelFixtures.matrix(step, padded[1]), null, false);
        assertEquals(new Shape(3, 7, 23), out.logits().getShape());
        assertEquals(new Shape(3, 7, 16), out.hidden().getShape());
        float[] logits = out.logits().toFloatArray();
        for (int b = 0; b < 3; b++) {
          double[][] expected = reference.logits(padded[0][b], padded[1][b]);
          for (int t = 0; t < 7; t++) {
            for (int v = 0; v < 23; v++) {
              float actual = logits[(b * 7 + t) * 23 + v];
              assertTrue(Float.isFinite(actual));
              if (padded[1][b][t] == 1) {
                assertEquals(expected[t][v], actual, 1e-4,
                    "tied=" + tied + " row " + b + " position " + t + " token " + v);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void djlBlockForwardEqualsTypedForward() {
    LlamaConfig config = ModelFixtures.tiny(false);
    CausalLm model = ModelFixtures.randomModel(manager, config, 3);
    int[][][] padded = ModelFixtures.leftPad(new int[][] {{1, 2, 3}, {4, 5}}, 0);
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray ids = ModelFixtures.matrix(step, padded[0]);
      NDArray mask = ModelFixtures.matrix(step, padded[1]);
      NDList viaBlock = model.forward(ps, new NDList(ids, mask), false);
      NDArray typed = model.forward(ps, ids, mask, null, false).logits();
      assertTrue(typed.allClose(viaBlock.get(0), 0, 0, false));
    }
  }

  @Test
  void cachedDecodingEqualsFullForwardAtEveryStep() {
    LlamaConfig config = ModelFixtures.tiny(false);
    CausalLm model = ModelFixtures.randomModel(manager, config, 21);
    int[][] prompts = {{3, 7, 1, 9, 4, 2}, {5}, {6, 6, 10}};
    int[][][] padded = ModelFixtures.leftPad(prompts, 0);
    int batch = prompts.length;
    List<int[]> ids = new ArrayList<>(Arrays.asList(padded[0]));
    List<int[]> masks = new ArrayList<>(Arrays.asList(padded[1]));
    int[][] currentIds = padded[0];
    int[][] currentMask = padded[1];
    try (NDManager session = manager.newSubManager()) {
      KvCache cache = model.newCache(session, batch, 16);
      int[][] stepIds = padded[0];
      for (int step = 0; step < 6; step++) {
        try (NDManager scope = session.newSubManager()) {
          ParameterStore ps = new ParameterStore(scope, false);
          DecoderOutput cached = model.forward(ps, ModelFixtures.matrix(scope, stepIds),
              ModelFixtures.matrix(scope, currentMask), cache, false);
          DecoderOutput full = model.forward(ps, ModelFixtures.matrix(scope, currentIds),
              ModelFixtures.matrix(scope, currentMask), null, false);
          int width = currentIds[0].length;
          assertEquals(width, cache.length());
          NDArray lastCached = cached.logits().get(new NDIndex(":, -1, :"));
          NDArray lastFull = full.logits().get(new NDIndex(":, -1, :"));
          assertTrue(lastCached.allClose(lastFull, 1e-4, 1e-4, false),
              "step " + step + ": " + lastCached.sub(lastFull).abs().max().getFloat());
          // Greedy next tokens, except that row 1 gets a padding step to test holes in the mask.
          long[] next = lastFull.argMax(1).toLongArray();
          stepIds = new int[batch][1];
          int[][] nextIds = new int[batch][width + 1];
          int[][] nextMask = new int[batch][width + 1];
          for (int b = 0; b < batch; b++) {
            boolean hole = b == 1 && step == 2;
            stepIds[b][0] = hole ? 0 : (int) next[b];
            System.arraycopy(currentIds[b], 0, nextIds[b], 0, width);
            System.arraycopy(currentMask[b], 0, nextMask[b], 0, width);
            nextIds[b][width] = stepIds[b][0];
            nextMask[b][width] = hole ? 0 : 1;
          }
          currentIds = nextIds;
          currentMask = nextMask;
        }
      }
      // Dropping finished rows keeps the others' logits.
      KvCache kept = cache.selectRows(new int[] {2, 0});
      try (NDManager scope = session.newSubManager()) {
        ParameterStore ps = new ParameterStore(scope, false);
        int[][] keptIds = {stepIds[2], stepIds[0]};
        int[][] keptMask = {currentMask[2], currentMask[0]};
        int[][] keptFullIds = {currentIds[2], currentIds[0]};
        NDArray cached = model.forward(ps, ModelFixtures.matrix(scope, keptIds),
            ModelFixtures.matrix(scope, keptMask), kept, false).logits().get(new NDIndex(":, -1, :"));
        NDArray full = model.forward(ps, ModelFixtures.matrix(scope, keptFullIds),
            ModelFixtures.matrix(scope, keptMask), null, false).logits().get(new NDIndex(":, -1, :"));
        assertTrue(cached.allClose(full, 1e-4, 1e-4, false));
      }
      assertEquals(ids.size(), masks.size());
    }
  }

  @Test
  void badShapesAreRejectedWithAClearMessage() {
    CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 4);
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray ids = step.create(new int[] {1, 2, 3}, new Shape(1, 3));
      NDArray mask = step.ones(new Shape(1, 4));
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> model.forward(ps, ids, mask, null, false));
      assertTrue(error.getMessage().contains("attentionMask must be (1, 3)"), error.getMessage());
      KvCache cache = model.newCache(step, 1, 2);
      IllegalStateException full = assertThrows(IllegalStateException.class,
          () -> model.forward(ps, ids, step.ones(new Shape(1, 3)), cache, false));
      assertTrue(full.getMessage().contains("capacity 2"), full.getMessage());
    }
  }
}
