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
    NDArray[] constants = constants(w);
    NDArray inverseRms = x.square().mean(new int[] {-1}, true).add(constants[0])
        .pow(constants[1]);
    return x.mul(inverseRms).mul(w);
  }

  /**
   * eps and -0.5 as 0-d arrays made by libtorch once per weight array (not per call: each
   * {@code add(Number)} or {@link Scalars} call crosses JNI twice more), kept in the weight's
   * manager, so the graph may hold them as {@link Scalars} requires.
   */
  private NDArray[] constants(NDArray w) {
    NDArray[] cached = this.constants;
    if (cached == null || cachedFor != w) {
      cached = new NDArray[] {Scalars.of(w, eps), Scalars.of(w, -0.5)};
      this.constants = cached;
      cachedFor = w;
    }
    return cached;
  }

  private NDArray[] constants;
  private NDArray cachedFor;
}
