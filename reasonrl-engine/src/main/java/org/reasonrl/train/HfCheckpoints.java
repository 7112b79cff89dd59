package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;

/**
 * {@link ModelSaver} and {@link ModelLoader} for a {@link CausalLm} in Hugging Face layout, so
 * every {@link TrainingLoop} checkpoint is also a loadable model directory (config.json,
 * model.safetensors, tokenizer.json). Loading reads the checkpoint into a scratch model and
 * copies each array into the live parameter, keeping the optimizer's references valid.
 */
public final class HfCheckpoints implements ModelSaver, ModelLoader {

  private final CausalLm model;
  private final Path tokenizerJson;

  /** @param tokenizerJson copied into every checkpoint; may be {@code null} */
  public HfCheckpoints(CausalLm model, Path tokenizerJson) {
    this.model = model;
    this.tokenizerJson = tokenizerJson;
  }

  @Override
  public void save(Path directory) {
    Checkpoint.save(model, directory, tokenizerJson);
  }

  @Override
  public void load(Path directory) throws IOException {
    copyInto(model, directory);
  }

  /** Overwrites {@code model}'s weights, in place, with those of the checkpoint {@code dir}. */
  public static void copyInto(CausalLm model, Path dir) throws IOException {
    LlamaConfig stored = Checkpoint.readConfig(dir);
    if (!sameArchitecture(stored, model.config())) {
      throw new IOException("checkpoint " + dir + " holds a model with config " + stored
          + " but the live model has " + model.config());
    }
    Map<String, Parameter> live = model.namedParameters();
    NDManager base = live.values().iterator().next().getArray().getManager();
    try (NDManager scope = base.newSubManager()) {
      CausalLm loaded = Checkpoint.load(dir, scope);
      for (Map.Entry<String, Parameter> entry : loaded.namedParameters().entrySet()) {
        Parameter target = live.get(entry.getKey());
        if (target == null) {
          throw new IOException(dir + ": tensor '" + entry.getKey() + "' matches no parameter");
        }
        NDArray source = entry.getValue().getArray();
        target.getArray().set(source.toByteBuffer());
      }
    }
  }

  /** Equal shapes and hyper-parameters; special-token ids may differ. */
  static boolean sameArchitecture(LlamaConfig a, LlamaConfig b) {
    return a.withSpecialTokens(null, null, null).equals(b.withSpecialTokens(null, null, null));
  }
}
