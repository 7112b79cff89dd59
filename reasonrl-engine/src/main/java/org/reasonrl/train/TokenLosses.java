package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.reasonrl.model.Scalars;

/**
 * Token-level losses of a causal language model. Shapes: logits (B,T,V), token ids (B,T) of
 * any integer type, loss mask (B,T) with 1 on tokens that count (the solution) and 0 elsewhere
 * (prompt, padding). Targets are already aligned with the logits: {@code targets[b,t]} is the token
 * that {@code logits[b,t]} should predict (for next-token training, the inputs shifted by one).
 */
public final class TokenLosses {

  private TokenLosses() {}

  /** log p(tokens[b,t]) under {@code logits[b,t]}: shape (B,T), float32. */
  public static NDArray tokenLogProbs(NDArray logits, NDArray tokens) {
    checkShapes(logits, tokens, "tokens");
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray index = tokens.toType(DataType.INT64, false).expandDims(-1);
    return logProbs.gather(index, -1).squeeze(-1);
  }

  /** The summed negative log-likelihood over masked tokens (a scalar) — for accumulation. */
  public static NDArray maskedNllSum(NDArray logits, NDArray targets, NDArray mask) {
    checkShapes(logits, targets, "targets");
    checkShapes(logits, mask, "mask");
    NDArray weights = mask.toType(logits.getDataType(), false);
    return tokenLogProbs(logits, targets).mul(weights).sum().neg();
  }

  /**
   * The masked next-token loss of one micro-batch as an {@link Objective.Loss}: the summed NLL,
   * the number of masked tokens as its count, and B·T tokens processed.
   */
  public static Objective.Loss maskedNllLoss(NDArray logits, NDArray targets, NDArray mask) {
    NDArray sum = maskedNllSum(logits, targets, mask);
    double count = mask.toType(DataType.FLOAT64, false).sum().getDouble();
    return new Objective.Loss(sum, count, targets.getShape().size());
  }

  /**
   * The mean negative log-likelihood over masked tokens (a scalar).
   *
   * @throws IllegalArgumentException if the mask selects no token
   */
  public static NDArray maskedNllMean(NDArray logits, NDArray targets, NDArray mask) {
    double count = mask.toType(DataType.FLOAT64, false).sum().getDouble();
    if (count <= 0) {
      throw new IllegalArgumentException("loss mask " + mask.getShape()
          + " selects no token: nothing to train on");
    }
    return Scalars.div(maskedNllSum(logits, targets, mask), (float) count);
  }

  private static void checkShapes(NDArray logits, NDArray other, String what) {
    Shape shape = logits.getShape();
    if (shape.dimension() != 3) {
      throw new IllegalArgumentException("logits must be (B,T,V) but are " + shape);
    }
    Shape expected = new Shape(shape.get(0), shape.get(1));
    if (!other.getShape().equals(expected)) {
      throw new IllegalArgumentException(what + " must be " + expected + " to match logits "
          + shape + " but are " + other.getShape());
    }
  }
}
