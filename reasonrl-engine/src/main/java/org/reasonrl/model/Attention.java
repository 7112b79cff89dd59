package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
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
    NDArray q = qProj.apply(ps, x, training).reshape(batch, steps, heads, headDim)
        .transpose(0, 2, 1, 3);
    NDArray k = kProj.apply(ps, x, training).reshape(batch, steps, kvHeads, headDim)
        .transpose(0, 2, 1, 3);
    NDArray v = vProj.apply(ps, x, training).reshape(batch, steps, kvHeads, headDim)
        .transpose(0, 2, 1, 3);
    q = context.rotateQuery(q);
    k = context.rotate(k);
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
}
