package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/** Root-mean-square norm as Llama: {@code w * x / sqrt(mean(x^2) + eps)} over the last axis. */
public final class RmsNorm extends LlamaBlock {

  private final Parameter weight;
  private final float eps;

  RmsNorm(int size, double eps) {
    this.weight = newParameter("weight", new Shape(size), Initializer.ONES);
    this.eps = (float) eps;
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray inverseRms = Scalars.pow(x.square().mean(new int[] {-1}, true).add(eps), -0.5);
    return x.mul(inverseRms).mul(w);
  }
}
