package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.reasonrl.runtime.SeedStream;

/**
 * LoRA adapters on a {@link CausalLm}: apply (base frozen, A random, B zero), merge into the base
 * weights, and save/load in PEFT's layout ({@code adapter_config.json},
 * {@code adapter_model.safetensors} with names like
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}).
 */
public final class Lora {

  public static final String ADAPTER_CONFIG = "adapter_config.json";
  public static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
  static final String PEFT_PREFIX = "base_model.model.";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Lora() {}

  /**
   * Adds adapters to every projection named in {@code config.targetModules()} and freezes all
   * other parameters, so that a loop updating only arrays with gradients trains only adapters.
   * Each A is drawn from {@code seeds.derive(its name)}; dropout masks from
   * {@code seeds.derive("lora_dropout")} (see {@link #seedDropout}).
   */
  public static void apply(CausalLm model, LoraConfig config, NDManager manager,
      SeedStream seeds) {
    addAdapters(model, config);
    model.drawRandomParameters("", manager, seeds);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    seedDropout(model, seeds.derive("lora_dropout"));
  }

  /**
   * Sets where every adapter's dropout masks come from: adapter {@code name} draws from
   * {@code seeds.derive(name)}, one value per element of its input, each training forward. A
   * loop that must resume bit-for-bit reseeds this with a stream derived from the step; adapters
   * added by {@link #load} must be seeded before training with dropout.
   */
  public static void seedDropout(CausalLm model, SeedStream seeds) {
    model.projections().forEach((name, projection) -> {
      if (projection.hasAdapter()) {
        projection.seedDropout(seeds.derive(name));
      }
    });
  }

  /**
   * Runs {@code work} with every adapter bypassed, so the model computes its frozen base: the
   * reference policy of RL with LoRA, without a second copy of the model. Not for concurrent
   * use of the same model from several threads.
   */
  public static <T> T withoutAdapters(CausalLm model, Supplier<T> work) {
    model.projections().values().forEach(p -> p.bypassAdapter(true));
    try {
      return work.get();
    } finally {
      model.projections().values().forEach(p -> p.bypassAdapter(false));
    }
  }

  /** The adapter config in use, or {@code null} if the model has no adapters. */
  public static LoraConfig config(CausalLm model) {
    return model.loraConfig();
  }

  /** Folds every adapter into its base weight and removes it; the model is then plain again. */
  public static void merge(CausalLm model) {
    for (Projection projection : model.projections().values()) {
      projection.mergeAdapter();
    }
    model.setLoraConfig(null);
  }

  /** Writes the adapters (only) to {@code dir} in PEFT layout, atomically. */
  public static void save(CausalLm model, Path dir) {
    LoraConfig config = model.loraConfig();
    if (config == null) {
      throw new IllegalStateException("model has no LoRA adapters to save");
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    model.namedParameters().forEach((name, p) -> {
      if (name.contains(".lora_")) {
        tensors.put(PEFT_PREFIX + name, p.getArray());
      }
    });
    Checkpoint.writeAtomically(dir, tmp -> {
      Files.writeString(tmp.resolve(ADAPTER_CONFIG), adapterConfigJson(config));
      Safetensors.write(tmp.resolve(ADAPTER_WEIGHTS), tensors);
    });
  }

  /** Reads PEFT's adapter_config.json. */
  public static LoraConfig readConfig(Path dir) {
    Path file = dir.resolve(ADAPTER_CONFIG);
    try {
      JsonNode node = JSON.readTree(file.toFile());
      String type = node.path("peft_type").asText("LORA");
      if (!type.equals("LORA")) {
        throw new CheckpointException(file + ": peft_type " + type + " is not LORA");
      }
      List<String> targets = new ArrayList<>();
      JsonNode modules = node.path("target_modules");
      if (modules.isArray()) {
        modules.forEach(m -> targets.add(m.asText()));
      } else if (modules.isTextual()) {
        targets.add(modules.asText());
      }
      return new LoraConfig(node.path("r").asInt(0), node.path("lora_alpha").asDouble(0),
          node.path("lora_dropout").asDouble(0), targets);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the adapters saved in {@code dir} to a model without adapters. Everything is checked
   * before the model is touched.
   */
  public static void load(CausalLm model, Path dir, NDManager manager) {
    if (model.loraConfig() != null) {
      throw new IllegalStateException("model already has LoRA adapters");
    }
    LoraConfig config = readConfig(dir);
    Safetensors file = Safetensors.open(dir.resolve(ADAPTER_WEIGHTS));
    Map<String, long[]> expected = new LinkedHashMap<>();
    model.projections().forEach((name, projection) -> {
      if (config.targetModules().contains(name.substring(name.lastIndexOf('.') + 1))) {
        expected.put(name + "." + Projection.LORA_A,
            new long[] {config.rank(), projection.inFeatures()});
        expected.put(name + "." + Projection.LORA_B,
            new long[] {projection.outFeatures(), config.rank()});
      }
    });
    for (Map.Entry<String, long[]> entry : expected.entrySet()) {
      String saved = PEFT_PREFIX + entry.getKey();
      Safetensors.TensorInfo info = file.tensors().get(saved);
      if (info == null) {
        throw new CheckpointException("tensor " + saved + " is missing from " + file.file()
            + " although " + ADAPTER_CONFIG + " targets " + config.targetModules());
      }
      if (!Arrays.equals(info.shape(), entry.getValue())) {
        throw new CheckpointException("tensor " + saved + " in " + file.file() + " has shape "
            + Arrays.toString(info.shape()) + " but the model and " + ADAPTER_CONFIG
            + " imply " + Arrays.toString(entry.getValue()));
      }
    }
    for (String saved : file.tensors().keySet()) {
      if (!saved.startsWith(PEFT_PREFIX)
          || !expected.containsKey(saved.substring(PEFT_PREFIX.length()))) {
        throw new CheckpointException("tensor " + saved + " in " + file.file()
            + " does not belong to an adapter of this model (" + ADAPTER_CONFIG + " targets "
            + config.targetModules() + ")");
      }
    }
    addAdapters(model, config);
    Map<String, Parameter> parameters = model.namedParameters();
    for (String name : expected.keySet()) {
      parameters.get(name).setArray(file.read(PEFT_PREFIX + name, manager));
    }
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
  }

  /**
   * Overwrites the live adapters of {@code model}, in place (an optimizer's references stay
   * valid), with those saved in {@code dir} by {@link #save}: resuming an adapter-only run.
   */
  public static void copyAdaptersInto(CausalLm model, Path dir) {
    LoraConfig live = model.loraConfig();
    if (live == null) {
      throw new IllegalStateException("model has no LoRA adapters to load into");
    }
    LoraConfig saved = readConfig(dir);
    if (!saved.equals(live)) {
      throw new CheckpointException(dir + " holds adapters " + saved + " but the model has "
          + live);
    }
    Safetensors file = Safetensors.open(dir.resolve(ADAPTER_WEIGHTS));
    model.namedParameters().forEach((name, p) -> {
      if (name.contains(".lora_")) {
        NDArray target = p.getArray();
        try (NDManager scope = target.getManager().newSubManager()) {
          NDArray source = file.read(PEFT_PREFIX + name, scope);
          if (!source.getShape().equals(target.getShape())) {
            throw new CheckpointException(dir + ": adapter " + name + " is " + source.getShape()
                + " but the model's is " + target.getShape());
          }
          target.set(source.toByteBuffer());
        }
      }
    });
  }

  private static void addAdapters(CausalLm model, LoraConfig config) {
    if (model.loraConfig() != null) {
      throw new IllegalStateException("model already has LoRA adapters; merge them first");
    }
    model.setTrainable(false);
    int adapted = 0;
    for (Map.Entry<String, Projection> entry : model.projections().entrySet()) {
      String shortName = entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1);
      if (config.targetModules().contains(shortName)) {
        entry.getValue().addAdapter(config.rank(), config.scale(), (float) config.dropout());
        adapted++;
      }
    }
    if (adapted == 0) {
      throw new IllegalArgumentException("no projection matches " + config.targetModules());
    }
    model.setLoraConfig(config);
  }

  private static String adapterConfigJson(LoraConfig config) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("peft_type", "LORA");
    node.put("task_type", "CAUSAL_LM");
    node.put("r", config.rank());
    node.put("lora_alpha", config.alpha());
    node.put("lora_dropout", config.dropout());
    var targets = node.putArray("target_modules");
    config.targetModules().forEach(targets::add);
    node.put("bias", "none");
    node.put("fan_in_fan_out", false);
    node.put("inference_mode", false);
    node.putNull("base_model_name_or_path");
    return JSON.writeValueAsString(node);
  }
}
