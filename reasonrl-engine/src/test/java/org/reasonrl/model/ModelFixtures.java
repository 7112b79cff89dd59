package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.reasonrl.runtime.SeedStream;

/** Tiny configs and models with weights large enough that every component visibly matters. */
final class ModelFixtures {

  private ModelFixtures() {}

  /** GQA (4 query heads on 2 kv heads), a non-default theta and eps, untied head. */
  static LlamaConfig tiny(boolean tied) {
    return new LlamaConfig(16, 40, 2, 4, 2, null, 1e-5, 500.0, 23, 64, tied, 1, 2, 0);
  }

  /** A model whose weights are uniform in ±0.5 (norm weights around 1), from a Java seed. */
  static CausalLm randomModel(NDManager manager, LlamaConfig config, long seed) {
    CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(seed, "init"));
    Random random = new Random(seed);
    for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
      NDArray array = entry.getValue().getArray();
      float[] values = new float[(int) array.size()];
      boolean norm = entry.getKey().endsWith("norm.weight");
      for (int i = 0; i < values.length; i++) {
        values[i] = norm ? 0.5f + random.nextFloat() : random.nextFloat() - 0.5f;
      }
      array.set(values);
    }
    return model;
  }

  static Map<String, float[]> weights(CausalLm model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    model.namedParameters().forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
    return out;
  }

  /** Left-pads rows of different lengths with {@code pad}; returns ids and the 1/0 mask. */
  static int[][][] leftPad(int[][] rows, int pad) {
    int width = 0;
    for (int[] row : rows) {
      width = Math.max(width, row.length);
    }
    int[][] ids = new int[rows.length][width];
    int[][] mask = new int[rows.length][width];
    for (int b = 0; b < rows.length; b++) {
      int offset = width - rows[b].length;
      for (int t = 0; t < width; t++) {
        ids[b][t] = t < offset ? pad : rows[b][t - offset];
        mask[b][t] = t < offset ? 0 : 1;
      }
    }
    return new int[][][] {ids, mask};
  }

  /** Logits (B, T, V) of a left-padded batch, flattened, from a forward in a scratch manager. */
  static float[] logits(NDManager manager, CausalLm model, int[][] ids, int[][] mask) {
    try (NDManager step = manager.newSubManager()) {
      return model.forward(new ParameterStore(step, false), matrix(step, ids),
          matrix(step, mask), null, false).logits().toFloatArray();
    }
  }

  static NDArray matrix(NDManager manager, int[][] rows) {
    int width = rows[0].length;
    int[] flat = new int[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * width, width);
    }
    return manager.create(flat, new Shape(rows.length, width));
  }
}
