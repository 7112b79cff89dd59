package org.reasonrl.model;

import java.util.Map;

/**
 * An independent Llama forward pass in plain Java arrays and doubles (no DJL), written from the
 * Hugging Face modelling code: RMSNorm, RoPE with rotate_half, grouped-query attention with a
 * causal + left-padding mask, SwiGLU, tied or untied head.
 */
final class ReferenceLlama {

  private final LlamaConfig c;
  private final Map<String, float[]> w;

  ReferenceLlama(LlamaConfig config, Map<String, float[]> weights) {
    this.c = config;
    this.w = weights;
  }

  /** Logits [t][v] for one row of ids with its 1/0 mask (left padding allowed). */
  double[][] logits(int[] ids, int[] mask) {
    int steps = ids.length;
    int h = c.hiddenSize();
    double[][] x = new double[steps][];
    int[] positions = new int[steps];
    int seen = 0;
    for (int t = 0; t < steps; t++) {
      seen += mask[t];
      positions[t] = Math.max(0, seen - 1);
      x[t] = row(w.get("model.embed_tokens.weight"), ids[t], h);
    }
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "model.layers." + l + ".";
      double[][] attnIn = new double[steps][];
      for (int t = 0; t < steps; t++) {
        attnIn[t] = rmsNorm(x[t], w.get(p + "input_layernorm.weight"));
      }
      double[][] attn = attention(attnIn, positions, mask, p + "self_attn.");
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < h; i++) {
          x[t][i] += attn[t][i];
        }
        double[] n = rmsNorm(x[t], w.get(p + "post_attention_layernorm.weight"));
        double[] gate = linear(n, w.get(p + "mlp.gate_proj.weight"), c.intermediateSize());
        double[] up = linear(n, w.get(p + "mlp.up_proj.weight"), c.intermediateSize());
        double[] act = new double[gate.length];
        for (int i = 0; i < act.length; i++) {
          act[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
        }
        double[] down = linear(act, w.get(p + "mlp.down_proj.weight"), h);
        for (int i = 0; i < h; i++) {
          x[t][i] += down[i];
        }
      }
    }
    float[] head = c.tieWordEmbeddings() ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      out[t] = linear(rmsNorm(x[t], w.get("model.norm.weight")), head, c.vocabSize());
    }
    return out;
  }

  private double[][] attention(double[][] x, int[] positions, int[] mask, String p) {
    int steps = x.length;
    int heads = c.numAttentionHeads();
    int kvHeads = c.numKeyValueHeads();
    int d = c.headDim();
    double[][] q = new double[steps][];
    double[][] k = new double[steps][];
    double[][] v = new double[steps][];
    for (int t = 0; t < steps; t++) {
      q[t] = rope(linear(x[t], w.get(p + "q_proj.weight"), heads * d), heads, positions[t]);
      k[t] = rope(linear(x[t], w.get(p + "k_proj.weight"), kvHeads * d), kvHeads, positions[t]);
      v[t] = linear(x[t], w.get(p + "v_proj.weight"), kvHeads * d);
    }
    double[][] out = new double[steps][heads * d];
    for (int t = 0; t < steps; t++) {
      for (int hd = 0; hd < heads; hd++) {
        int kv = hd / (heads / kvHeads);
        double[] scores = new double[t + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= t; j++) {
          if (mask[j] == 0) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double s = 0;
          for (int i = 0; i < d; i++) {
            s += q[t][hd * d + i] * k[j][kv * d + i];
          }
          scores[j] = s / Math.sqrt(d);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= t; j++) {
          scores[j] = mask[j] == 0 ? 0 : Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j <= t; j++) {
          if (mask[j] == 0) {
            continue; // padding (whose own states are undefined) is never attended to
          }
          for (int i = 0; i < d; i++) {
            out[t][hd * d + i] += scores[j] / sum * v[j][kv * d + i];
          }
        }
      }
    }
    double[][] projected = new double[steps][];
    for (int t = 0; t < steps; t++) {
      projected[t] = linear(out[t], w.get(p + "o_proj.weight"), c.hiddenSize());
    }
    return projected;
  }

  /** rotate_half convention: pairs (i, i + d/2) rotate by position * theta^(-2i/d). */
  private double[] rope(double[] x, int heads, int position) {
    int d = c.headDim();
    double[] out = new double[x.length];
    for (int hd = 0; hd < heads; hd++) {
      for (int i = 0; i < d / 2; i++) {
        double angle = position / Math.pow(c.ropeTheta(), 2.0 * i / d);
        double a = x[hd * d + i];
        double b = x[hd * d + i + d / 2];
        out[hd * d + i] = a * Math.cos(angle) - b * Math.sin(angle);
        out[hd * d + i + d / 2] = b * Math.cos(angle) + a * Math.sin(angle);
      }
    }
    return out;
  }

  private double[] rmsNorm(double[] x, float[] weight) {
    double sum = 0;
    for (double value : x) {
      sum += value * value;
    }
    double scale = 1 / Math.sqrt(sum / x.length + c.rmsNormEps());
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * scale * weight[i];
    }
    return out;
  }

  /** y = W x with W stored row-major (out, in), as Hugging Face stores it. */
  private static double[] linear(double[] x, float[] weight, int outFeatures) {
    double[] y = new double[outFeatures];
    for (int o = 0; o < outFeatures; o++) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += weight[o * x.length + i] * x[i];
      }
      y[o] = s;
    }
    return y;
  }

  private static double[] row(float[] table, int index, int width) {
    double[] out = new double[width];
    for (int i = 0; i < width; i++) {
      out[i] = table[index * width + i];
    }
    return out;
  }
}
