package org.reasonrl.rollout;

import ai.djl.ndarray.NDManager;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.runtime.SeedStream;

/**
 * A real {@link CausalLm} whose weights make it a scripted bigram model: attention and MLP
 * outputs are zeroed, so logits depend on the last token only, and the LM head maps each script
 * token to the next one (logit 10 against 0). Any other token leads back to the first script
 * token; the last one leads to EOS. Tests use it to know exactly what a policy will write.
 */
public final class ScriptedModel {

  private ScriptedModel() {}

  public static CausalLm bigram(NDManager manager, Tokenizer tokenizer, String... script) {
    int[][] edges = new int[script.length][];
    for (int i = 0; i + 1 < script.length; i++) {
      edges[i] = new int[] {id(tokenizer, script[i]), id(tokenizer, script[i + 1])};
    }
    edges[script.length - 1] = new int[] {id(tokenizer, script[script.length - 1]),
        tokenizer.eosId()};
    return graph(manager, tokenizer, id(tokenizer, script[0]), edges, true);
  }

  /**
   * The general form: each edge {from, to} gets logit 10 from {@code from} to {@code to} (a token
   * with two edges picks either with equal probability); a token without edges leads to
   * {@code otherwise}. With {@code keepAttention} the (small, random) attention output stays, so
   * hidden states still see earlier tokens — what a reward model trained on top needs.
   */
  public static CausalLm graph(NDManager manager, Tokenizer tokenizer, int otherwise,
      int[][] edges, boolean keepAttention) {
    return graph(manager, tokenizer, otherwise, edges, keepAttention, 512);
  }

  /** {@link #graph(NDManager, Tokenizer, int, int[][], boolean)} with a context of its own. */
  public static CausalLm graph(NDManager manager, Tokenizer tokenizer, int otherwise,
      int[][] edges, boolean keepAttention, int context) {
    int vocab = tokenizer.vocabSize();
    // One-hot embeddings need hidden > vocab; a multiple of 8 keeps 4 heads of even size.
    LlamaConfig config = LlamaConfig.of(vocab + 8 - vocab % 8, 8, 1, 4, 4, vocab, context, false);
    CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
    int hidden = config.hiddenSize();
    float[] embed = new float[vocab * hidden];
    boolean[] scripted = new boolean[vocab];
    for (int[] edge : edges) {
      scripted[edge[0]] = true;
    }
    float[] head = new float[vocab * hidden];
    for (int v = 0; v < vocab; v++) {
      embed[v * hidden + v] = 1;
      if (!scripted[v]) {
        head[otherwise * hidden + v] = 10;
      }
    }
    for (int[] edge : edges) {
      head[edge[1] * hidden + edge[0]] = 10;
    }
    model.namedParameters().forEach((name, p) -> {
      if ((!keepAttention && name.endsWith("o_proj.weight")) || name.endsWith("down_proj.weight")) {
        p.getArray().set(new float[(int) p.getArray().size()]);
      } else if (name.equals("model.embed_tokens.weight")) {
        p.getArray().set(embed);
      } else if (name.equals("lm_head.weight")) {
        p.getArray().set(head);
      }
    });
    return model;
  }

  /** The id of a string that must be exactly one token. */
  public static int id(Tokenizer tokenizer, String token) {
    int[] ids = tokenizer.encode(token);
    if (ids.length != 1) {
      throw new IllegalArgumentException("'" + token + "' is " + ids.length + " tokens, not one");
    }
    return ids[0];
  }
}
