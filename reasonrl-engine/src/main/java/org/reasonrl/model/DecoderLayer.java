package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** One pre-norm decoder layer: {@code x + attn(norm(x))}, then {@code h + mlp(norm(h))}. */
public final class DecoderLayer extends LlamaBlock {

  final Attention selfAttn;
  final Mlp mlp;
  final RmsNorm inputLayernorm;
  final RmsNorm postAttentionLayernorm;
  private final int index;

  DecoderLayer(LlamaConfig config, int index) {
    this.index = index;
    selfAttn = child("self_attn", new Attention(config));
    mlp = child("mlp", new Mlp(config));
    inputLayernorm = child("input_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
    postAttentionLayernorm =
        child("post_attention_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
  }

  NDArray apply(ParameterStore ps, NDArray x, ForwardContext context, boolean training) {
    NDArray h = x.add(selfAttn.apply(ps, inputLayernorm.apply(ps, x, training), context, index,
        training));
    return h.add(mlp.apply(ps, postAttentionLayernorm.apply(ps, h, training), training));
  }
}
