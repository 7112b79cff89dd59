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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Saves and loads any DJL block's parameters as one safetensors file, tensors named by DJL's
 * parameter path. The generic {@link ModelSaver}/{@link ModelLoader}; models with their own format
 * (the Hugging Face checkpoint) plug in their own.
 */
public final class BlockParameters implements ModelSaver, ModelLoader {

  public static final String FILE = "model.safetensors";

  private final ParameterList parameters;

  public BlockParameters(ParameterList parameters) {
    this.parameters = parameters;
  }

  @Override
  public void save(Path directory) throws IOException {
    NDManager base = firstArray().getManager();
    try (NDManager scope = base.newSubManager();
        OutputStream out = Files.newOutputStream(directory.resolve(FILE))) {
      NDList list = new NDList();
      for (Pair<String, Parameter> pair : parameters) {
        NDArray copy = pair.getValue().getArray().duplicate();
        copy.attach(scope);
        copy.setName(pair.getKey());
        list.add(copy);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
  }

  /** Copies every tensor of {@code model.safetensors} into the parameter of the same name. */
  @Override
  public void load(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      throw new IOException("checkpoint " + directory + " has no " + FILE);
    }
    NDManager base = firstArray().getManager();
    try (NDManager scope = base.newSubManager(); InputStream in = Files.newInputStream(file)) {
      NDList list = NDList.decode(scope, in);
      Set<String> seen = new HashSet<>();
      for (NDArray array : list) {
        Parameter parameter = parameters.get(array.getName());
        if (parameter == null) {
          throw new IOException(file + ": tensor '" + array.getName()
              + "' matches no parameter of the model");
        }
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(array.getShape())
            || target.getDataType() != array.getDataType()) {
          throw new IOException(file + ": tensor '" + array.getName() + "' is "
              + array.getDataType() + array.getShape() + " but the parameter is "
              + target.getDataType() + target.getShape());
        }
        target.set(array.toByteBuffer());
        seen.add(array.getName());
      }
      for (String name : parameters.keys()) {
        if (!seen.contains(name)) {
          throw new IOException(file + ": no tensor for parameter '" + name + "'");
        }
      }
    }
  }

  private NDArray firstArray() {
    if (parameters.isEmpty() || !parameters.valueAt(0).isInitialized()) {
      throw new IllegalStateException("the model's parameters are not initialised");
    }
    return parameters.valueAt(0).getArray();
  }
}
