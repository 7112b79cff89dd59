package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.reasonrl.runtime.ThreadAutograd;

/**
 * Operations on the gradients of a model's trainable parameters (initialised and requiring
 * gradients). {@link ThreadAutograd#backward} adds into these gradients, so
 * accumulation over micro-batches is "backward each, then {@link #scale}", and every optimizer
 * step must be followed by {@link #zero}.
 */
public final class Gradients {

  private Gradients() {}

  /** Sets every trainable gradient to zero (overwrites, so even NaN gradients are cleared). */
  public static void zero(ParameterList parameters) {
    forEachGradient(parameters, (gradient, scope) -> gradient.set(new NDIndex("..."), 0));
  }

  /** Multiplies every trainable gradient by {@code factor} in place. */
  public static void scale(ParameterList parameters, double factor) {
    forEachGradient(parameters, (gradient, scope) -> gradient.muli(factor));
  }

  /** The L2 norm of all trainable gradients taken together, computed in double. */
  public static double globalNorm(ParameterList parameters) {
    double[] sumOfSquares = {0};
    forEachGradient(parameters, (gradient, scope) ->
        sumOfSquares[0] += gradient.toType(DataType.FLOAT64, false)
            .square().sum().getDouble());
    return Math.sqrt(sumOfSquares[0]);
  }

  /**
   * Scales all trainable gradients so their global norm is at most {@code maxNorm} and returns
   * the norm before clipping. A non-finite norm leaves the gradients untouched (the caller
   * decides to stop). {@code maxNorm <= 0} or infinite disables clipping.
   */
  public static double clipByGlobalNorm(ParameterList parameters, double maxNorm) {
    double norm = globalNorm(parameters);
    if (maxNorm > 0 && Double.isFinite(maxNorm) && Double.isFinite(norm) && norm > maxNorm) {
      scale(parameters, maxNorm / norm);
    }
    return norm;
  }

  /**
   * The mean loss of a batch given as micro-batches.
   *
   * @param meanLoss summed loss over all micro-batches divided by {@code count}
   * @param count loss units (e.g. masked tokens) over all micro-batches
   * @param tokens tokens processed
   * @param statistics the micro-batches' named statistics, merged ({@link Statistics#merge})
   */
  public record Accumulated(double meanLoss, double count, long tokens, Statistics statistics) {}

  /**
   * Back-propagates every micro-batch's summed loss (each in its own sub-manager of
   * {@code manager}) and divides the accumulated gradients by the total count, so they equal the
   * gradient of the mean loss over the whole batch. Gradients must be zero on entry.
   *
   * @throws IllegalStateException if the micro-batches cover no loss units
   */
  public static <B> Accumulated accumulate(ParameterList parameters, List<B> microBatches,
      Objective<B> objective, NDManager manager) {
    double lossSum = 0;
    double count = 0;
    long tokens = 0;
    Statistics statistics = Statistics.NONE;
    try (ThreadAutograd autograd = ThreadAutograd.record()) {
      for (B microBatch : microBatches) {
        try (NDManager microManager = manager.newSubManager()) {
          Objective.Loss loss = objective.compute(microBatch,
              new ParameterStore(microManager, false), microManager);
          autograd.backward(loss.sum());
          lossSum += loss.sum().toType(DataType.FLOAT64, false).getDouble();
          count += loss.count();
          tokens += loss.tokens();
          statistics = statistics.merge(loss.statistics());
        }
      }
    }
    if (!(count > 0)) {
      throw new IllegalStateException("the " + microBatches.size() + " micro-batches cover no"
          + " loss units (count " + count + "); is the loss mask empty?");
    }
    scale(parameters, 1 / count);
    return new Accumulated(lossSum / count, count, tokens, statistics);
  }

  private interface GradientAction {
    void apply(NDArray gradient, NDManager scope);
  }

  private static void forEachGradient(ParameterList parameters, GradientAction action) {
    List<Pair<String, Parameter>> trainable = AdamW.trainable(parameters);
    for (Pair<String, Parameter> pair : trainable) {
      NDArray weight = pair.getValue().getArray();
      try (NDManager scope = weight.getManager().newSubManager()) {
        NDArray gradient = weight.getGradient();
        gradient.attach(scope);
        action.apply(gradient, scope);
      }
    }
  }
}
