package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import java.util.List;

/**
 * One optimizer step over a batch given as micro-batches, the step every loop shares: accumulate
 * the gradients of the mean loss ({@link Gradients#accumulate}), stop on a non-finite loss,
 * clip, stop on a non-finite gradient norm, apply AdamW, zero the gradients. On a stop the
 * gradients are zeroed and the parameters are untouched.
 */
final class UpdateStep {

  private UpdateStep() {}

  /**
   * @param loss mean loss over the batch, before the update
   * @param count loss units the mean is over
   * @param gradNorm global gradient norm before clipping
   * @param tokens tokens processed
   * @param statistics the objective's named statistics, merged over the micro-batches
   */
  record Outcome(double loss, double count, double gradNorm, long tokens, Statistics statistics) {}

  /** Makes the exception that reports a non-finite loss or norm ({@code what}) at this step. */
  @FunctionalInterface
  interface Divergence {
    TrainingDivergedException describe(String what);
  }

  static <B> Outcome apply(ParameterList parameters, List<B> microBatches, Objective<B> objective,
      AdamW optimizer, double learningRate, double maxGradNorm, NDManager manager,
      Divergence diverged) {
    Gradients.Accumulated accumulated =
        Gradients.accumulate(parameters, microBatches, objective, manager);
    double loss = accumulated.meanLoss();
    if (!Double.isFinite(loss)) {
      Gradients.zero(parameters);
      throw diverged.describe("loss is " + loss);
    }
    double gradNorm = Gradients.clipByGlobalNorm(parameters, maxGradNorm);
    if (!Double.isFinite(gradNorm)) {
      Gradients.zero(parameters);
      throw diverged.describe("gradient norm is " + gradNorm + " (loss " + loss + ")");
    }
    optimizer.update(learningRate);
    Gradients.zero(parameters);
    return new Outcome(loss, accumulated.count(), gradNorm, accumulated.tokens(),
        accumulated.statistics());
  }
}
