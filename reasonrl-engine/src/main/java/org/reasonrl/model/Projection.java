package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.reasonrl.runtime.SeedStream;

/**
 * A bias-free linear map {@code y = x W^T} with a Hugging Face-layout weight (out, in), and an
 * optional LoRA adapter {@code + scale * B(A(dropout(x)))} with {@code lora_A.weight} (r, in) and
 * {@code lora_B.weight} (out, r), as PEFT names them. Dropout masks are drawn in Java from the
 * adapter's own {@link SeedStream} (see {@link Lora#seedDropout}), never by libtorch.
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
  private SeedStream dropoutDraws;
  private boolean adapterBypassed;

  Projection(int inFeatures, int outFeatures) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = newParameter("weight", new Shape(outFeatures, inFeatures), RandomInit.WEIGHTS);
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

  /** Whether {@link #apply} adds an adapter's term (one is attached and not bypassed). */
  boolean adapterActive() {
    return loraA != null && !adapterBypassed;
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray y = Linear.linear(x, w).head();
    if (loraA == null || adapterBypassed) {
      return y;
    }
    NDArray a = ps.getValue(loraA, x.getDevice(), training);
    NDArray b = ps.getValue(loraB, x.getDevice(), training);
    NDArray input = training && loraDropout > 0 ? dropout(x) : x;
    NDArray delta = Linear.linear(Linear.linear(input, a).head(), b).head();
    return y.add(Scalars.mul(delta, loraScale));
  }

  /** Inverted dropout as torch's: each element zeroed with probability p, the rest × 1/(1-p). */
  private NDArray dropout(NDArray x) {
    if (dropoutDraws == null) {
      throw new IllegalStateException("LoRA dropout " + loraDropout + " needs a random stream;"
          + " seed it with Lora.seedDropout before training adapters that were loaded");
    }
    float kept = 1 / (1 - loraDropout);
    float[] mask = new float[Math.toIntExact(x.size())];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = dropoutDraws.nextDouble() < loraDropout ? 0 : kept;
    }
    return x.mul(x.getManager().create(mask, x.getShape()).toType(x.getDataType(), false));
  }

  /** While set, {@link #apply} is the base map alone ({@link Lora#withoutAdapters}). */
  void bypassAdapter(boolean bypassed) {
    adapterBypassed = bypassed;
  }

  /** Where this adapter's dropout masks come from from now on. */
  void seedDropout(SeedStream draws) {
    dropoutDraws = draws;
  }

  /**
   * Adds an adapter whose A is Kaiming-uniform (as PEFT: bound 1/sqrt(in)) and B is zero, so the
   * adapted map starts equal to the base. A is drawn by {@link Lora#apply} (or read by
   * {@link Lora#load}); B is created on the next initialize.
   */
  void addAdapter(int rank, float scale, float dropout) {
    if (loraA != null) {
      throw new IllegalStateException("projection already has a LoRA adapter");
    }
    double bound = 1 / Math.sqrt(inFeatures);
    loraA = newParameter(LORA_A, new Shape(rank, inFeatures), RandomInit.uniform(bound));
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
    dropoutDraws = null;
  }
}
