package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Array-by-number ops that are safe while autograd records a graph (under
 * {@code ThreadAutograd}, or DJL's {@code GradientCollector} in tests). Use these, not DJL's
 * {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)} or {@code maximum(Number)}, on
 * any array that may require gradients.
 *
 * <p>Why: DJL 0.35's PyTorch engine turns the number into a 0-d tensor over a Java direct
 * ByteBuffer ({@code torch::from_blob}, no deleter) and closes that array right after the op.
 * Autograd keeps the operand for the backward pass (Mul, Div, Pow and Maximum save it), so a
 * garbage collection between forward and backward frees memory the backward then reads: the
 * loss is right but the gradient is garbage, NaN now and then. Here the number is made by
 * libtorch ({@code torch::full}), whose storage the graph keeps alive by reference count.
 */
public final class Scalars {

  private Scalars() {}

  /** {@code x * value}. */
  public static NDArray mul(NDArray x, double value) {
    try (NDArray scalar = of(x, value)) {
      return x.mul(scalar);
    }
  }

  /** {@code x / value}. */
  public static NDArray div(NDArray x, double value) {
    try (NDArray scalar = of(x, value)) {
      return x.div(scalar);
    }
  }

  /** {@code x ^ value}. */
  public static NDArray pow(NDArray x, double value) {
    try (NDArray scalar = of(x, value)) {
      return x.pow(scalar);
    }
  }

  /** Element-wise {@code max(x, value)}. */
  public static NDArray maximum(NDArray x, double value) {
    try (NDArray scalar = of(x, value)) {
      return x.maximum(scalar);
    }
  }

  /** A 0-d array of {@code value} in {@code like}'s manager and type, allocated by libtorch. */
  static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}
