package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.reasonrl.runtime.SeedStream;

/**
 * A tiny next-token model made of DJL's own blocks, for testing the training core without the
 * project's Llama: ids (B,T) → one-hot → Linear(hidden) → tanh → Linear(vocab) → logits (B,T,V).
 */
final class TinyLm extends AbstractBlock {

  private final int vocab;
  private final int hidden;
  private final Linear embed;
  private final Linear head;

  TinyLm(int vocab, int hidden) {
    super((byte) 1);
    this.vocab = vocab;
    this.hidden = hidden;
    this.embed = addChildBlock("embed", Linear.builder().setUnits(hidden).build());
    this.head = addChildBlock("head", Linear.builder().setUnits(vocab).build());
  }

  /**
   * A model whose weights are Glorot-uniform and biases zero, drawn in Java from
   * {@code seeds.derive(name)} (DJL's own initializers would draw from libtorch's generator).
   */
  static TinyLm create(NDManager manager, int vocab, int hidden, SeedStream seeds) {
    TinyLm model = new TinyLm(vocab, hidden);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    model.getParameters().forEach(pair -> {
      NDArray array = pair.getValue().getArray();
      Shape shape = array.getShape();
      int size = Math.toIntExact(shape.size());
      double glorot = shape.dimension() == 2 ? Math.sqrt(6.0 / (shape.get(0) + shape.get(1))) : 0;
      array.set(glorot > 0 ? seeds.derive(pair.getKey()).uniform(size, glorot) : new float[size]);
    });
    return model;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    long batch = ids.getShape().get(0);
    long time = ids.getShape().get(1);
    NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(vocab).reshape(batch * time, vocab);
    NDArray hiddenStates = embed.forward(parameterStore, new NDList(oneHot), training)
        .singletonOrThrow().tanh();
    NDArray logits = head.forward(parameterStore, new NDList(hiddenStates), training)
        .singletonOrThrow();
    return new NDList(logits.reshape(batch, time, vocab));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocab)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    embed.initialize(manager, dataType, new Shape(1, vocab));
    head.initialize(manager, dataType, new Shape(1, hidden));
  }
}
