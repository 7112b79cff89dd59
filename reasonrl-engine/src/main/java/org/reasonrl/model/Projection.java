package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;

/**
 * A bias-free linear map {@code y = x W^T} with a Hugging Face-layout weight (out, in), and an
 * optional LoRA adapter {@code + scale * B(A(dropout(x)))} with {@code lora_A.weight} (r, in) and
 * {@code lora_B.weight} (out, r), as PEFT names them.
 */
public final class Projection extends LlamaBlock {

  static final String LORA_A = "lora_A.weight";
  static final String LORA_B = "lora_B.weight";

  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private Parameter loraA;
  private Parameter loraB;
  private float loraScale;
  private float loraDropout;

  Projection(int inFeatures, int outFeatures) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = newParameter("weight", new Shape(outFeatures, inFeatures), WEIGHT_INIT);
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  public Parameter weight() {
    return weight;
  }

  public boolean hasAdapter() {
    return loraA != null;
  }

  Parameter loraA() {
    return loraA;
  }

  Parameter loraB() {
    return loraB;
  }

  float loraScale() {
    return loraScale;
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray y = Linear.linear(x, w).head();
    if (loraA == null) {
      return y;
    }
    NDArray a = ps.getValue(loraA, x.getDevice(), training);
    NDArray b = ps.getValue(loraB, x.getDevice(), training);
    NDArray input = training && loraDropout > 0
        ? Dropout.dropout(x, loraDropout, true).head() : x;
    NDArray delta = Linear.linear(Linear.linear(input, a).head(), b).head();
    return y.add(Scalars.mul(delta, loraScale));
  }

  /**
   * Adds an adapter whose A is Kaiming-uniform (as PEFT: bound 1/sqrt(in)) and B is zero, so the
   * adapted map starts equal to the base. The arrays are created on the next initialize.
   */
  void addAdapter(int rank, float scale, float dropout) {
    if (loraA != null) {
      throw new IllegalStateException("projection already has a LoRA adapter");
    }
    float bound = (float) (1.0 / Math.sqrt(inFeatures));
    loraA = newParameter(LORA_A, new Shape(rank, inFeatures), new UniformInitializer(bound));
    loraB = newParameter(LORA_B, new Shape(outFeatures, rank), Initializer.ZEROS);
    loraScale = scale;
    loraDropout = dropout;
  }

  /** Folds {@code scale * B A} into the weight and drops the adapter. */
  void mergeAdapter() {
    if (loraA == null) {
      return;
    }
    NDArray w = weight.getArray();
    boolean trainable = weight.requiresGradient();
    w.setRequiresGradient(false);
    try (NDArray delta = loraB.getArray().matMul(loraA.getArray()).mul(loraScale)) {
      w.addi(delta);
    }
    weight.freeze(!trainable);
    removeParameter(LORA_A);
    removeParameter(LORA_B);
    loraA = null;
    loraB = null;
  }
}
