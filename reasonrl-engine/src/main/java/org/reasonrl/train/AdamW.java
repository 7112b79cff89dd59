package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter) in NDArray ops, updating parameters in place:
 *
 * <pre>
 *   m = β1·m + (1−β1)·g          v = β2·v + (1−β2)·g²
 *   p = p·(1 − lr·λ) − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
 * </pre>
 *
 * (PyTorch's order: decay first, then the Adam step.) It trains exactly the parameters whose
 * arrays require gradients at step time, so parameters frozen with {@link Parameter#freeze} (the
 * base weights under LoRA) are skipped. With {@code decayVectors = false}, parameters of rank ≤ 1
 * (norm scales, biases) get no weight decay. It does not zero gradients: see {@link Gradients}.
 *
 * <p>Its state (moments and step count) saves as safetensors with arrays named
 * {@code m.<param>}, {@code v.<param>} and {@code step}, and loads by name, so resume is exact.
 */
public final class AdamW implements AutoCloseable {

  /** Hyper-parameters; the learning rate comes per step from the caller (a schedule). */
  public record Config(double beta1, double beta2, double epsilon, double weightDecay,
      boolean decayVectors) {

    public Config {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("AdamW betas must be in [0, 1) but were " + beta1
            + ", " + beta2);
      }
      if (!(epsilon > 0) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException("AdamW needs epsilon > 0 and weightDecay >= 0 but got "
            + epsilon + ", " + weightDecay);
      }
    }

    /** β = (0.9, 0.999), ε = 1e-8, λ = 0.01, no decay on vectors. */
    public static Config defaults() {
      return new Config(0.9, 0.999, 1e-8, 0.01, false);
    }
  }

  private static final String STEP_KEY = "step";

  private final Config config;
  private final ParameterList parameters;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long step;

  /**
   * @param parameters the model's parameters by name ({@code block.getParameters()})
   * @param manager a long-lived manager; AdamW keeps its moments in a sub-manager of it
   */
  public AdamW(Config config, ParameterList parameters, NDManager manager) {
    this.config = config;
    this.parameters = parameters;
    this.stateManager = manager.newSubManager();
  }

  /** Number of updates applied so far (the t of the bias correction after the next is t+1). */
  public long step() {
    return step;
  }

  public Config config() {
    return config;
  }

  /** The parameters this optimizer would update now: initialised and requiring gradients. */
  public List<Pair<String, Parameter>> trainable() {
    return trainable(parameters);
  }

  static List<Pair<String, Parameter>> trainable(ParameterList parameters) {
    List<Pair<String, Parameter>> result = new ArrayList<>();
    for (Pair<String, Parameter> pair : parameters) {
      Parameter parameter = pair.getValue();
      if (parameter.isInitialized() && parameter.getArray().hasGradient()) {
        result.add(pair);
      }
    }
    return result;
  }

  /** Applies one update with learning rate {@code learningRate} to every trainable parameter. */
  public void update(double learningRate) {
    step++;
    double correction1 = 1 - Math.pow(config.beta1, step);
    double correction2 = 1 - Math.pow(config.beta2, step);
    for (Pair<String, Parameter> pair : trainable()) {
      String name = pair.getKey();
      NDArray weight = pair.getValue().getArray();
      NDArray m = firstMoments.computeIfAbsent(name, k -> stateManager.zeros(
          weight.getShape(), weight.getDataType(), weight.getDevice()));
      NDArray v = secondMoments.computeIfAbsent(name, k -> stateManager.zeros(
          weight.getShape(), weight.getDataType(), weight.getDevice()));
      try (NDManager scope = stateManager.newSubManager()) {
        // Temporaries of ops on these arrays land in `scope` and die with it.
        scope.tempAttachAll(weight, m, v);
        NDArray gradient = weight.getGradient();
        gradient.attach(scope);
        m.muli(config.beta1).addi(gradient.mul(1 - config.beta1));
        v.muli(config.beta2).addi(gradient.square().muli(1 - config.beta2));
        NDArray denominator = v.div(correction2).sqrt().addi(config.epsilon);
        NDArray adamStep = m.div(correction1).divi(denominator).muli(learningRate);
        boolean decay = config.weightDecay > 0
            && (config.decayVectors || weight.getShape().dimension() > 1);
        if (decay) {
          weight.muli(1 - learningRate * config.weightDecay);
        }
        weight.subi(adamStep);
      }
    }
  }

  /** Writes the moments and the step count as safetensors. */
  public void save(OutputStream out) throws IOException {
    try (NDManager scope = stateManager.newSubManager()) {
      NDList state = new NDList();
      for (Map.Entry<String, NDArray> entry : firstMoments.entrySet()) {
        state.add(named(entry.getValue().duplicate(), "m." + entry.getKey(), scope));
      }
      for (Map.Entry<String, NDArray> entry : secondMoments.entrySet()) {
        state.add(named(entry.getValue().duplicate(), "v." + entry.getKey(), scope));
      }
      state.add(named(scope.create(new long[] {step}), STEP_KEY, scope));
      state.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  private static NDArray named(NDArray array, String name, NDManager scope) {
    array.attach(scope);
    array.setName(name);
    return array;
  }

  /**
   * Replaces the state with one written by {@link #save}. Every moment must belong to a
   * parameter of this model with the same shape.
   *
   * @param source names the file in error messages
   */
  public void load(InputStream in, String source) throws IOException {
    try (NDManager scope = stateManager.newSubManager()) {
      NDList state = NDList.decode(scope, in);
      NDArray stepArray = state.get(STEP_KEY);
      if (stepArray == null) {
        throw new IllegalArgumentException(source + ": no '" + STEP_KEY
            + "' tensor; not an AdamW state file");
      }
      Map<String, NDArray> loadedFirst = new LinkedHashMap<>();
      Map<String, NDArray> loadedSecond = new LinkedHashMap<>();
      for (NDArray array : state) {
        String name = array.getName();
        if (STEP_KEY.equals(name)) {
          continue;
        }
        Map<String, NDArray> target;
        if (name != null && name.startsWith("m.")) {
          target = loadedFirst;
        } else if (name != null && name.startsWith("v.")) {
          target = loadedSecond;
        } else {
          throw new IllegalArgumentException(source + ": unexpected tensor '" + name + "'");
        }
        String parameterName = name.substring(2);
        Parameter parameter = parameters.get(parameterName);
        if (parameter == null || !parameter.isInitialized()) {
          throw new IllegalArgumentException(source + ": tensor '" + name
              + "' has no matching initialised parameter '" + parameterName + "' in the model");
        }
        if (!parameter.getArray().getShape().equals(array.getShape())) {
          throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape "
              + array.getShape() + " but parameter '" + parameterName + "' has "
              + parameter.getArray().getShape());
        }
        // A real copy: decoded arrays may share memory with the file's buffer, which is freed
        // when `scope` closes (toDevice on the same device returns such a view; it gave NaNs).
        NDArray moment = array.toDevice(parameter.getArray().getDevice(), false).duplicate();
        moment.attach(stateManager);
        target.put(parameterName, moment);
      }
      if (!loadedFirst.keySet().equals(loadedSecond.keySet())) {
        throw new IllegalArgumentException(source + ": first and second moments name different"
            + " parameters");
      }
      firstMoments.values().forEach(NDArray::close);
      secondMoments.values().forEach(NDArray::close);
      firstMoments.clear();
      secondMoments.clear();
      firstMoments.putAll(loadedFirst);
      secondMoments.putAll(loadedSecond);
      step = stepArray.toLongArray()[0];
    }
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
