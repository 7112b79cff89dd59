package org.reasonrl.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the autograd graph on the calling thread only, in place of DJL's
 * {@code GradientCollector}: DJL's PyTorch collector allows one collector per JVM (a static flag)
 * and leaves grad mode on after closing if it was on before, so two jobs training at once in one
 * JVM (Maven's {@code -T 2} running two grid stages) fail. libtorch's grad mode is per thread,
 * so each thread records its own graph; gradients are added into the parameters' {@code .grad}
 * exactly as the collector's {@code backward} does.
 */
public final class ThreadAutograd implements AutoCloseable {

  private ThreadAutograd() {
    JniUtils.setGradMode(true);
  }

  /** Starts recording on this thread; close to stop. */
  public static ThreadAutograd record() {
    return new ThreadAutograd();
  }

  /** Adds d(target)/d(parameter) into every parameter's gradient (target is usually a scalar). */
  public void backward(NDArray target) {
    try (NDArray ones = target.onesLike()) {
      JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }
  }

  /** Stops recording: grad mode off, the state every job runs in outside a backward pass. */
  @Override
  public void close() {
    JniUtils.setGradMode(false);
  }
}
