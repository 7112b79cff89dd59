package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Multi-head self-attention with rotary position embeddings and grouped-query attention. Query
 * heads are grouped by the key/value head they share (head h uses kv head h / groupSize, as
 * Hugging Face's repeat_kv), so scores are one matmul per kv head without copying K and V.
 */
public final class Attention extends LlamaBlock {

  final Projection qProj;
  final Projection kProj;
  final Projection vProj;
  final Projection oProj;
  private final int heads;
  private final int kvHeads;
  private final int headDim;

  Attention(LlamaConfig config) {
    heads = config.numAttentionHeads();
    kvHeads = config.numKeyValueHeads();
    headDim = config.headDim();
    int hidden = config.hiddenSize();
    qProj = child("q_proj", new Projection(hidden, heads * headDim));
    kProj = child("k_proj", new Projection(hidden, kvHeads * headDim));
    vProj = child("v_proj", new Projection(hidden, kvHeads * headDim));
    oProj = child("o_proj", new Projection(heads * headDim, hidden));
  }

  NDArray apply(ParameterStore ps, NDArray x, ForwardContext context, int layer,
      boolean training) {
    long batch = x.getShape().get(0);
    long steps = x.getShape().get(1);
    int groups = heads / kvHeads;
    NDArray q;
    NDArray k;
    NDArray v;
    if (context.cache() == null
        || qProj.adapterActive() || kProj.adapterActive() || vProj.adapterActive()) {
      q = context.rotateQuery(qProj.apply(ps, x, training).reshape(batch, steps, heads, headDim)
          .transpose(0, 2, 1, 3));
      k = context.rotate(kProj.apply(ps, x, training).reshape(batch, steps, kvHeads, headDim)
          .transpose(0, 2, 1, 3));
      v = vProj.apply(ps, x, training).reshape(batch, steps, kvHeads, headDim)
          .transpose(0, 2, 1, 3);
    } else {
      // Decoding: one matmul for q, k and v with their weights stacked once per cache, one RoPE
      // pass over q and k together (B, heads + kvHeads, T, D). Full forwards (training, scoring)
      // keep three projections: there the stacked views' strided copies cost more than the ops
      // saved (paired rounds, forward and training 0.96x).
      NDArray qkv = Linear.linear(x, fusedWeight(ps, x, context, layer, training)).head()
          .reshape(batch, steps, heads + 2L * kvHeads, headDim)
          .transpose(0, 2, 1, 3);
      NDList qkAndV = qkv.split(new long[] {heads + kvHeads}, 1);
      NDList qAndK = context.rotateQueryKey(qkAndV.get(0)).split(new long[] {heads}, 1);
      q = qAndK.get(0);
      k = qAndK.get(1);
      v = qkAndV.get(1);
    }
    if (context.cache() != null) {
      NDArray[] all = context.cache().append(layer, k, v);
      k = all[0];
      v = all[1];
    }
    long keys = k.getShape().get(2);
    NDArray scores = q.reshape(batch, kvHeads, groups * steps, headDim)
        .matMul(k.transpose(0, 1, 3, 2))
        .reshape(batch, kvHeads, groups, steps, keys)
        .add(context.additiveMask())
        .softmax(-1)
        .reshape(batch, kvHeads, groups * steps, keys);
    NDArray out = scores.matMul(v)
        .reshape(batch, heads, steps, headDim)
        .transpose(0, 2, 1, 3)
        .reshape(batch, steps, (long) heads * headDim);
    return oProj.apply(ps, out, training);
  }

  /**
   * q_proj, k_proj and v_proj weights stacked (heads + 2 kvHeads) * headDim by hidden, made
   * once per cache (a cache lives no longer than the weights it was filled with).
   */
  private NDArray fusedWeight(ParameterStore ps, NDArray x, ForwardContext context, int layer,
      boolean training) {
    KvCache cache = context.cache();
    NDArray held = cache.fusedQkv(layer);
    if (held != null) {
      return held;
    }
    NDArray w = NDArrays.concat(new NDList(ps.getValue(qProj.weight(), x.getDevice(), training),
        ps.getValue(kProj.weight(), x.getDevice(), training),
        ps.getValue(vProj.weight(), x.getDevice(), training)), 0);
    cache.holdFusedQkv(layer, w);
    return w;
  }
}
