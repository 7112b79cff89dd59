package org.reasonrl.rollout;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.text.Tokenizer;

/**
 * A real {@link CausalLm} whose weights make it a scripted bigram model: attention and MLP
 * outputs are zeroed, so logits depend on the last token only, and the LM head maps each script
 * token to the next one (logit 10 against 0). Any other token leads back to the first script
 * token; the last one leads to EOS. Tests use it to know exactly what a policy will write.
 */
public final class ScriptedModel {

  private ScriptedModel() {}

  public static CausalLm bigram(NDManager manager, Tokenizer tokenizer, String... script) {
    int vocab = tokenizer.vocabSize();
    LlamaConfig config = LlamaConfig.of(vocab + 4 - vocab % 4, 8, 1, 4, 4, vocab, 512, false);
    CausalLm model = CausalLm.create(config).initializeRandom(manager, 1);
    int hidden = config.hiddenSize();
    float[] embed = new float[vocab * hidden];
    for (int v = 0; v < vocab; v++) {
      embed[v * hidden + v] = 1;
    }
    int[] successor = new int[vocab];
    Arrays.fill(successor, id(tokenizer, script[0]));
    for (int i = 0; i + 1 < script.length; i++) {
      successor[id(tokenizer, script[i])] = id(tokenizer, script[i + 1]);
    }
    successor[id(tokenizer, script[script.length - 1])] = tokenizer.eosId();
    float[] head = new float[vocab * hidden];
    for (int v = 0; v < vocab; v++) {
      head[successor[v] * hidden + v] = 10;
    }
    model.namedParameters().forEach((name, p) -> {
      if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
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
