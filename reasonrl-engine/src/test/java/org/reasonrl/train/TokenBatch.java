package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/** Sequences of equal length for tests: inputs, next-token targets and a loss mask. */
record TokenBatch(List<long[]> inputs, List<long[]> targets, List<float[]> masks) {

  int size() {
    return inputs.size();
  }

  int length() {
    return inputs.get(0).length;
  }

  TokenBatch slice(int from, int to) {
    return new TokenBatch(inputs.subList(from, to), targets.subList(from, to),
        masks.subList(from, to));
  }

  NDArray inputArray(NDManager manager) {
    return manager.create(flatten(inputs), new Shape(size(), length()));
  }

  NDArray targetArray(NDManager manager) {
    return manager.create(flatten(targets), new Shape(size(), length()));
  }

  NDArray maskArray(NDManager manager) {
    float[] flat = new float[size() * length()];
    for (int i = 0; i < size(); i++) {
      System.arraycopy(masks.get(i), 0, flat, i * length(), length());
    }
    return manager.create(flat, new Shape(size(), length()));
  }

  /** The next-token objective on {@code model}: masked NLL summed, count = masked tokens. */
  static Objective<TokenBatch> objective(Block model) {
    return (batch, parameters, manager) -> forwardLoss(model, batch, parameters, manager);
  }

  static Objective.Loss forwardLoss(Block model, TokenBatch batch, ParameterStore parameters,
      NDManager manager) {
    NDArray logits = model.forward(parameters, new NDList(batch.inputArray(manager)), true)
        .singletonOrThrow();
    return TokenLosses.maskedNllLoss(logits, batch.targetArray(manager),
        batch.maskArray(manager));
  }

  private static long[] flatten(List<long[]> rows) {
    int length = rows.get(0).length;
    long[] flat = new long[rows.size() * length];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * length, length);
    }
    return flat;
  }
}
