package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reasonrl.runtime.SeedStream;

/**
 * One number per position from the decoder's final hidden states (B, T, H) → (B, T): PPO's value
 * head and the ORM's reward head. Its parameters are {@code weight} (1, H), like Hugging Face's
 * {@code score.weight}, and {@code bias} (1). Saved as its own safetensors file beside the model
 * (by convention {@code value_head.safetensors} or {@code reward_head.safetensors}) with tensors
 * {@code score.weight} and {@code score.bias}.
 */
public final class ScalarHead extends LlamaBlock {

  public static final String VALUE_HEAD_FILE = "value_head.safetensors";
  public static final String REWARD_HEAD_FILE = "reward_head.safetensors";

  private final int hiddenSize;
  private final Parameter weight;
  private final Parameter bias;

  private ScalarHead(int hiddenSize) {
    this.hiddenSize = hiddenSize;
    this.weight = newParameter("weight", new Shape(1, hiddenSize), RandomInit.WEIGHTS);
    this.bias = newParameter("bias", new Shape(1), Initializer.ZEROS);
  }

  /** A head with weight normal(0, 0.02) from {@code seeds.derive("score.weight")}, bias 0. */
  public static ScalarHead create(int hiddenSize, NDManager manager, SeedStream seeds) {
    ScalarHead head = new ScalarHead(hiddenSize);
    head.drawRandomParameters("score.", manager, seeds);
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return head;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  /** (B, T, H) → (B, T). */
  public NDArray forward(ParameterStore ps, NDArray hidden, boolean training) {
    NDArray w = ps.getValue(weight, hidden.getDevice(), training);
    NDArray b = ps.getValue(bias, hidden.getDevice(), training);
    return Linear.linear(hidden, w, b).head().squeeze(-1);
  }

  /** The head's parameters by their saved names. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    out.put("score.weight", weight);
    out.put("score.bias", bias);
    return out;
  }

  /** Writes {@code score.weight} and {@code score.bias} to {@code file} (not atomic by itself). */
  public void save(Path file) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    namedParameters().forEach((name, p) -> tensors.put(name, p.getArray()));
    try {
      java.nio.file.Files.deleteIfExists(file);
      Safetensors.write(file, tensors);
    } catch (java.io.IOException e) {
      throw new CheckpointException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a head saved by {@link #save}; the hidden size must match. */
  public static ScalarHead load(Path file, int hiddenSize, NDManager manager) {
    Safetensors source = Safetensors.open(file);
    ScalarHead head = new ScalarHead(hiddenSize);
    for (Map.Entry<String, Parameter> entry : head.namedParameters().entrySet()) {
      String name = entry.getKey();
      Safetensors.TensorInfo info = source.tensors().get(name);
      Shape expected = head.expectedShape(name.substring("score.".length()));
      if (info == null) {
        throw new CheckpointException("tensor " + name + " is missing from " + file);
      }
      if (!Arrays.equals(info.shape(), expected.getShape())) {
        throw new CheckpointException("tensor " + name + " in " + file + " has shape "
            + Arrays.toString(info.shape()) + " but hidden size " + hiddenSize + " implies "
            + expected);
      }
    }
    head.namedParameters().forEach((name, p) -> p.setArray(source.read(name, manager)));
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return head;
  }
}
