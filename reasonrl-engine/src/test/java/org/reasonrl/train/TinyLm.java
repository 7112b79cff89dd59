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

  /** A model with initialised parameters; randomness comes from the engine's seed. */
  static TinyLm create(NDManager manager, int vocab, int hidden) {
    TinyLm model = new TinyLm(vocab, hidden);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
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
