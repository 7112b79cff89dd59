package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of every layer for a batch, preallocated at (B, kvHeads, capacity, headDim) and
 * written in place step by step, so decoding allocates nothing that outlives a step (a cache of
 * concatenations would keep every step's copy alive until its manager closes).
 *
 * <p>{@link #length()} tokens are filled; each {@link CausalLm#forward} call appends its T tokens
 * to all layers and then advances the length. Close it (or its manager) when done.
 */
public final class KvCache implements AutoCloseable {

  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;
  private final NDArray[] fusedQkv;
  private int length;

  private KvCache(NDArray[] keys, NDArray[] values, int capacity, int length) {
    this.keys = keys;
    this.values = values;
    this.capacity = capacity;
    this.length = length;
    this.fusedQkv = new NDArray[keys.length];
  }

  /** An empty cache for {@code batch} rows of at most {@code capacity} tokens each. */
  public static KvCache allocate(NDManager manager, LlamaConfig config, int batch, int capacity,
      DataType dataType) {
    if (batch <= 0 || capacity <= 0) {
      throw new IllegalArgumentException(
          "cache batch and capacity must be > 0 but were " + batch + " and " + capacity);
    }
    int layers = config.numHiddenLayers();
    Shape shape = new Shape(batch, config.numKeyValueHeads(), capacity, config.headDim());
    NDArray[] keys = new NDArray[layers];
    NDArray[] values = new NDArray[layers];
    for (int i = 0; i < layers; i++) {
      keys[i] = manager.zeros(shape, dataType);
      values[i] = manager.zeros(shape, dataType);
    }
    return new KvCache(keys, values, capacity, 0);
  }

  /** Tokens already held (the {@code past} of the next forward call). */
  public int length() {
    return length;
  }

  public int capacity() {
    return capacity;
  }

  public int batchSize() {
    return (int) keys[0].getShape().get(0);
  }

  /**
   * A new cache holding only the given rows (e.g. the still-unfinished sequences), so finished
   * rows stop costing work. Its arrays live in this cache's manager; this cache stays usable.
   */
  public KvCache selectRows(int[] rows) {
    NDManager manager = keys[0].getManager();
    NDArray[] newKeys = new NDArray[keys.length];
    NDArray[] newValues = new NDArray[values.length];
    try (NDArray index = manager.create(rows).toType(DataType.INT64, false)) {
      for (int i = 0; i < keys.length; i++) {
        newKeys[i] = keys[i].get(new NDIndex("{}", index));
        newValues[i] = values[i].get(new NDIndex("{}", index));
      }
    }
    return new KvCache(newKeys, newValues, capacity, length);
  }

  /** Writes (B, kvHeads, T, headDim) keys/values at the current length; returns the filled part. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    int steps = (int) k.getShape().get(2);
    if (length + steps > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " tokens held + " + steps
          + " new exceeds its capacity " + capacity);
    }
    // Slice writes and a slice view straight through libtorch (torch's index_put_ over slices and
    // narrow): NDArray.set/get would parse an NDIndex and go through advanced indexing per call.
    Shape shape = keys[layer].getShape();
    long[] min = {0, 0, length, 0};
    long[] max = {shape.get(0), shape.get(1), length + steps, shape.get(3)};
    long[] step = {1, 1, 1, 1};
    JniUtils.indexSet((PtNDArray) keys[layer], (PtNDArray) k, min, max, step);
    JniUtils.indexSet((PtNDArray) values[layer], (PtNDArray) v, min, max, step);
    // Views of the cache, owned by the caller's (per-step) manager so they do not pile up.
    NDArray keyView = JniUtils.slice((PtNDArray) keys[layer], 2, 0, length + steps, 1);
    NDArray valueView = JniUtils.slice((PtNDArray) values[layer], 2, 0, length + steps, 1);
    keyView.attach(k.getManager());
    valueView.attach(k.getManager());
    return new NDArray[] {keyView, valueView};
  }

  /**
   * The layer's stacked q/k/v weight made by the first forward into this cache, or null. A cache
   * is only valid for the weights that filled it, so holding their concatenation adds no rule.
   */
  NDArray fusedQkv(int layer) {
    return fusedQkv[layer];
  }

  void holdFusedQkv(int layer, NDArray weight) {
    weight.attach(keys[layer].getManager());
    fusedQkv[layer] = weight;
  }

  void advance(int steps) {
    length += steps;
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      keys[i].close();
      values[i].close();
      if (fusedQkv[i] != null) {
        fusedQkv[i].close();
      }
    }
  }
}
