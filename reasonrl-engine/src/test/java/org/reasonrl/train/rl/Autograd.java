package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.reasonrl.runtime.ThreadAutograd;

/** d(scalar f(x))/dx for a leaf x, recorded on this thread as training does. */
final class Autograd {

  private Autograd() {}

  /** The value of f and its gradient, from a fresh leaf holding {@code values}. */
  record Result(float value, float[] gradient) {}

  static Result of(NDManager manager, float[] values, Shape shape,
      Function<NDArray, NDArray> f) {
    NDArray x = manager.create(values, shape);
    x.setRequiresGradient(true);
    float value;
    try (ThreadAutograd autograd = ThreadAutograd.record()) {
      NDArray y = f.apply(x);
      value = y.getFloat();
      autograd.backward(y);
    }
    return new Result(value, x.getGradient().toFloatArray());
  }
}
