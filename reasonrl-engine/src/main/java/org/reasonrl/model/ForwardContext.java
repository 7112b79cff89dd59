package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What every layer of one forward call shares, built once per call: rotary cos/sin for the
 * tokens' positions, the additive causal + padding mask, and the cache being filled.
 *
 * <p>Positions are {@code cumsum(mask) - 1}, so with left padding each row's first real token is
 * at position 0, as Hugging Face's generate computes them.
 */
final class ForwardContext {

  /** Masked scores get this added; finite so that all-padding query rows stay finite. */
  private static final float MASKED = -1e9f;

  private final NDArray cos;
  private final NDArray sin;
  private final double scale;
  private final Constants constants;
  private NDArray queryCos;
  private NDArray querySin;
  private NDArray queryKeyCos;
  private NDArray queryKeySin;
  private final NDArray rotateHalf;
  private final NDArray additiveMask;
  private final KvCache cache;

  private ForwardContext(NDArray cos, NDArray sin, double scale, Constants constants,
      NDArray additiveMask, KvCache cache) {
    this.cos = cos;
    this.sin = sin;
    this.scale = scale;
    this.constants = constants;
    this.rotateHalf = constants.rotateHalf();
    this.additiveMask = additiveMask;
    this.cache = cache;
  }

  /**
   * @param mask (B, past+T) of 1 (token) and 0 (padding)
   * @param past tokens already in the cache
   * @param steps T, the new tokens
   */
  static ForwardContext build(NDManager manager, LlamaConfig config, NDArray mask, int past,
      int steps, KvCache cache, DataType dataType, Constants constants) {
    long batch = mask.getShape().get(0);
    int total = past + steps;
    int headDim = config.headDim();
    NDArray maskF = mask.toType(DataType.FLOAT32, false);
    // Positions (B, T) = cumsum(mask) - 1 at the new tokens; one new token's is sum(mask) - 1.
    // Numbers are the constants' 0-d arrays: NDArray.sub(Number) makes one from Java per call.
    NDArray positions = steps == 1 ? maskF.sum(new int[] {1}, true) : maskF.cumSum(1);
    positions = positions.sub(constants.one());
    if (steps > 1 && past > 0) {
      positions = positions.get(new NDIndex(":, {}:", past));
    }
    positions = positions.maximum(constants.zero());
    // (B, 1, T, 1) x (1, 1, 1, headDim) frequencies already concatenated with themselves.
    NDArray angles = positions.reshape(batch, 1, steps, 1).mul(constants.inverseFrequency());
    NDArray cos = angles.cos().toType(dataType, false);
    NDArray sin = angles.sin().toType(dataType, false);

    NDArray allowed = maskF.reshape(batch, 1, 1, 1, total);
    if (steps > 1) {
      NDArray keyIndex = manager.arange(total).reshape(1, total);
      NDArray queryPosition = manager.arange(past, total).reshape(steps, 1);
      allowed = allowed.mul(keyIndex.lte(queryPosition).toType(DataType.FLOAT32, false));
    }
    NDArray additive = allowed.sub(constants.one()).mul(constants.maskedScale())
        .toType(dataType, false);
    double scale = 1.0 / Math.sqrt(headDim);
    return new ForwardContext(cos, sin, scale, constants, additive, cache);
  }

  /** Applies RoPE to keys (B, kvHeads, T, headDim): {@code x cos + rotate_half(x) sin}. */
  NDArray rotate(NDArray x) {
    return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
  }

  /**
   * RoPE and the attention scale on queries (B, heads, T, headDim): {@code (x cos +
   * rotate_half(x) sin) / sqrt(headDim)}, with the scale folded into cos and sin once per
   * forward instead of one multiplication per layer.
   */
  NDArray rotateQuery(NDArray x) {
    if (queryCos == null) {
      queryCos = Scalars.mul(cos, scale);
      querySin = Scalars.mul(sin, scale);
    }
    return x.mul(queryCos).add(x.matMul(rotateHalf).mul(querySin));
  }

  /**
   * {@link #rotateQuery} and {@link #rotate} in one pass over queries and keys stacked on the
   * head axis (B, heads + kvHeads, T, headDim): cos and sin times a per-head (scale, 1) column.
   */
  NDArray rotateQueryKey(NDArray x) {
    if (queryKeyCos == null) {
      queryKeyCos = cos.mul(constants.headScale());
      queryKeySin = sin.mul(constants.headScale());
    }
    return x.mul(queryKeyCos).add(x.matMul(rotateHalf).mul(queryKeySin));
  }

  NDArray additiveMask() {
    return additiveMask;
  }

  KvCache cache() {
    return cache;
  }

  /**
   * Per-model arrays that every forward needs, created once in the weights' manager (creating
   * arrays from Java costs far more than an op; at batch 1 it showed in decoding).
   *
   * @param inverseFrequency (1, 1, 1, headDim) float32: the headDim/2 frequencies twice
   * @param rotateHalf (headDim, headDim) in the compute type
   * @param headScale (1, heads + kvHeads, 1, 1): 1/sqrt(headDim) for query heads, 1 for keys
   * @param one 0-d float32 1
   * @param zero 0-d float32 0
   * @param maskedScale 0-d float32 {@code -MASKED}: (allowed - 1) times it is 0 or MASKED
   */
  record Constants(NDArray inverseFrequency, NDArray rotateHalf, NDArray headScale, NDArray one,
      NDArray zero, NDArray maskedScale) {
    static Constants create(NDManager manager, LlamaConfig config, DataType dataType) {
      int headDim = config.headDim();
      int heads = config.numAttentionHeads();
      int stacked = heads + config.numKeyValueHeads();
      float[] scales = new float[stacked];
      for (int h = 0; h < stacked; h++) {
        scales[h] = h < heads ? (float) (1.0 / Math.sqrt(headDim)) : 1f;
      }
      float[] half = ForwardContext.inverseFrequencies(config);
      float[] twice = new float[headDim];
      System.arraycopy(half, 0, twice, 0, half.length);
      System.arraycopy(half, 0, twice, half.length, half.length);
      return new Constants(
          manager.create(twice, new Shape(1, 1, 1, headDim)),
          manager.create(rotateHalfMatrix(headDim), new Shape(headDim, headDim))
              .toType(dataType, false),
          manager.create(scales, new Shape(1, stacked, 1, 1)).toType(dataType, false),
          manager.full(new Shape(), 1f, DataType.FLOAT32),
          manager.full(new Shape(), 0f, DataType.FLOAT32),
          manager.full(new Shape(), -MASKED, DataType.FLOAT32));
    }

    boolean fits(NDArray weights) {
      return rotateHalf.getDevice().equals(weights.getDevice())
          && rotateHalf.getDataType() == weights.getDataType();
    }
  }

  /** {@code 1 / theta^(2i/d)}, computed in float32 like Hugging Face. */
  static float[] inverseFrequencies(LlamaConfig config) {
    int half = config.headDim() / 2;
    float[] out = new float[half];
    for (int i = 0; i < half; i++) {
      float exponent = (float) (2 * i) / config.headDim();
      out[i] = (float) (1.0 / Math.pow(config.ropeTheta(), exponent));
    }
    return out;
  }

  /**
   * R with {@code x R = rotate_half(x) = concat(-x[d/2:], x[:d/2])}: out[j] = -x[j + d/2] for
   * j < d/2, and x[j - d/2] otherwise.
   */
  static float[] rotateHalfMatrix(int dim) {
    int half = dim / 2;
    float[] r = new float[dim * dim];
    for (int j = 0; j < half; j++) {
      r[(j + half) * dim + j] = -1f;
      r[j * dim + (j + half)] = 1f;
    }
    return r;
  }
}
