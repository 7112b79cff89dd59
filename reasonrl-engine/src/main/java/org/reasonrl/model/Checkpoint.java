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
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads and writes a model in Hugging Face layout: {@code config.json}, {@code model.safetensors}
 * or shards {@code model-0000k-of-0000n.safetensors} with {@code model.safetensors.index.json},
 * {@code generation_config.json}, and {@code tokenizer.json} copied alongside.
 *
 * <p>Loading checks everything (config, index, every header, every tensor's presence and shape)
 * before reading any data, and fails with one message naming the file and the tensor. Writing
 * goes to a temporary sibling directory that is renamed into place only when complete.
 */
public final class Checkpoint {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  public static final String GENERATION_CONFIG = "generation_config.json";
  public static final String TOKENIZER = "tokenizer.json";
  /** Shards of at most this many bytes by default (Hugging Face's save_pretrained uses 5 GB). */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoint() {}

  /** Reads {@code dir/config.json}. */
  public static LlamaConfig readConfig(Path dir) {
    Path config = dir.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new CheckpointException("no " + CONFIG + " in " + dir);
    }
    return LlamaConfig.read(config);
  }

  /**
   * Reads {@code dir/config.json} and checks the weights' headers against it (every tensor
   * present, of the shape the config implies, none extra) and the values of the small ones
   * (finite), without reading the large ones: most of what {@link #load} would refuse, said
   * before any work.
   */
  public static LlamaConfig check(Path dir) {
    LlamaConfig config = readConfig(dir);
    Map<String, Safetensors> source = locateTensors(dir);
    Map<String, Shape> expected = CausalLm.create(config).expectedShapes();
    checkAgainstConfig(dir, config, source, expected);
    // A cheap look at the values: the norms' weights are small, and every training step moves
    // them, so weights that diverged hold NaN there (load checks every tensor).
    expected.forEach((name, shape) -> {
      if (shape.dimension() == 1) {
        source.get(name).checkFinite(name);
      }
    });
    return config;
  }

  /** Loads the model with float32 weights. */
  public static CausalLm load(Path dir, NDManager manager) {
    return load(dir, manager, DataType.FLOAT32);
  }

  /**
   * Loads the model; weights are read as F32 (F16/BF16 widened) and then cast to
   * {@code computeType} (FLOAT32 on CPU; FLOAT16 is for GPUs).
   */
  public static CausalLm load(Path dir, NDManager manager, DataType computeType) {
    LlamaConfig config = readConfig(dir);
    CausalLm model = CausalLm.create(config);
    Map<String, Safetensors> source = locateTensors(dir);
    Map<String, Shape> expected = model.expectedShapes();
    checkAgainstConfig(dir, config, source, expected);
    Map<String, Parameter> parameters = model.namedParameters();
    List<NDArray> loaded = new ArrayList<>();
    try {
      for (Map.Entry<String, Shape> entry : expected.entrySet()) {
        String name = entry.getKey();
        NDArray array = source.get(name).read(name, manager);
        if (computeType != DataType.FLOAT32) {
          NDArray cast = array.toType(computeType, false);
          array.close();
          array = cast;
        }
        loaded.add(array);
        parameters.get(name).setArray(array);
      }
    } catch (RuntimeException e) {
      loaded.forEach(NDArray::close);
      throw e;
    }
    // Marks the arrays as requiring gradients, as freshly initialised ones are.
    model.initialize(manager, computeType, new Shape(1, 1));
    return model;
  }

  /** Saves with the default shard size; {@code tokenizerJson} may be null. */
  public static void save(CausalLm model, Path dir, Path tokenizerJson) {
    save(model, dir, tokenizerJson, DEFAULT_MAX_SHARD_BYTES);
  }

  /**
   * Writes the model to {@code dir} (replacing it if present) in float32, sharding when the
   * weights exceed {@code maxShardBytes}. A model with unmerged LoRA adapters is refused: merge
   * them ({@link Lora#merge}) or save them with {@link Lora#save}.
   */
  public static void save(CausalLm model, Path dir, Path tokenizerJson, long maxShardBytes) {
    Map<String, Parameter> parameters = model.namedParameters();
    for (String name : parameters.keySet()) {
      if (name.contains(".lora_")) {
        throw new CheckpointException("model has unmerged LoRA adapter " + name
            + "; merge it with Lora.merge or save adapters with Lora.save");
      }
    }
    if (tokenizerJson != null && !Files.isRegularFile(tokenizerJson)) {
      throw new CheckpointException("tokenizer " + tokenizerJson + " does not exist");
    }
    writeAtomically(dir, tmp -> {
      model.config().write(tmp.resolve(CONFIG));
      Files.writeString(tmp.resolve(GENERATION_CONFIG), generationConfig(model.config()));
      writeWeights(tmp, parameters, maxShardBytes);
      if (tokenizerJson != null) {
        Files.copy(tokenizerJson, tmp.resolve(TOKENIZER));
      }
    });
  }

  /** Something that fills a directory. */
  @FunctionalInterface
  public interface DirectoryWriter {
    void write(Path dir) throws IOException;
  }

  /**
   * Lets {@code writer} fill a fresh temporary sibling of {@code dir}, then renames it to
   * {@code dir} (an existing {@code dir} is moved aside first and deleted after). A crash leaves
   * either the old directory or a {@code .tmp-} one, never a half-written {@code dir}.
   */
  public static void writeAtomically(Path dir, DirectoryWriter writer) {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    String stamp = Long.toHexString(System.nanoTime());
    Path tmp = parent.resolve(target.getFileName() + ".tmp-" + stamp);
    try {
      Files.createDirectories(parent);
      Files.createDirectory(tmp);
      writer.write(tmp);
      Path old = null;
      if (Files.exists(target)) {
        old = parent.resolve(target.getFileName() + ".old-" + stamp);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      if (old != null) {
        deleteRecursively(old);
      }
    } catch (IOException | RuntimeException e) {
      try {
        deleteRecursively(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String generationConfig(LlamaConfig config) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("_from_model_config", true);
    if (config.bosTokenId() != null) {
      node.put("bos_token_id", config.bosTokenId());
    }
    if (config.eosTokenId() != null) {
      node.put("eos_token_id", config.eosTokenId());
    }
    if (config.padTokenId() != null) {
      node.put("pad_token_id", config.padTokenId());
    }
    return JSON.writeValueAsString(node);
  }

  private static void writeWeights(Path dir, Map<String, Parameter> parameters, long maxShard)
      throws IOException {
    List<Map<String, NDArray>> shards = new ArrayList<>();
    Map<String, NDArray> current = new LinkedHashMap<>();
    long currentBytes = 0;
    long total = 0;
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      NDArray array = entry.getValue().getArray();
      long bytes = array.size() * 4;
      if (!current.isEmpty() && currentBytes + bytes > maxShard) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(entry.getKey(), array);
      currentBytes += bytes;
      total += bytes;
    }
    shards.add(current);
    if (shards.size() == 1) {
      Safetensors.write(dir.resolve(WEIGHTS), current);
      return;
    }
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode weightMap = index.putObject("weight_map");
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < shards.size(); i++) {
      String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      Safetensors.write(dir.resolve(file), shards.get(i));
      for (String name : shards.get(i).keySet()) {
        sorted.put(name, file);
      }
    }
    sorted.forEach(weightMap::put);
    Files.writeString(dir.resolve(INDEX), JSON.writeValueAsString(index));
  }

  /** Maps every tensor name to the opened (header-checked) file holding it. */
  private static Map<String, Safetensors> locateTensors(Path dir) {
    Path index = dir.resolve(INDEX);
    Path single = dir.resolve(WEIGHTS);
    Map<String, Safetensors> out = new LinkedHashMap<>();
    if (Files.isRegularFile(index)) {
      JsonNode weightMap;
      try {
        weightMap = JSON.readTree(index.toFile()).path("weight_map");
      } catch (IOException e) {
        throw new CheckpointException(index + " is not valid JSON: " + e.getMessage(), e);
      }
      if (!weightMap.isObject() || weightMap.isEmpty()) {
        throw new CheckpointException(index + " has no weight_map");
      }
      Map<String, Safetensors> files = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String fileName = entry.getValue().asText();
        Path shard = dir.resolve(fileName);
        if (!Files.isRegularFile(shard)) {
          throw new CheckpointException(index + " maps tensor " + entry.getKey() + " to shard "
              + fileName + ", which does not exist in " + dir);
        }
        Safetensors file = files.computeIfAbsent(fileName, f -> Safetensors.open(shard));
        if (!file.tensors().containsKey(entry.getKey())) {
          throw new CheckpointException(index + " maps tensor " + entry.getKey() + " to " + shard
              + ", which does not contain it");
        }
        out.put(entry.getKey(), file);
      }
      return out;
    }
    if (!Files.isRegularFile(single)) {
      throw new CheckpointException("no " + WEIGHTS + " or " + INDEX + " in " + dir);
    }
    Safetensors file = Safetensors.open(single);
    file.tensors().keySet().forEach(name -> out.put(name, file));
    return out;
  }

  private static void checkAgainstConfig(Path dir, LlamaConfig config,
      Map<String, Safetensors> source, Map<String, Shape> expected) {
    for (Map.Entry<String, Shape> entry : expected.entrySet()) {
      String name = entry.getKey();
      Safetensors file = source.get(name);
      if (file == null) {
        throw new CheckpointException("tensor " + name + " is missing from the weights in " + dir
            + " although " + CONFIG + " needs it (num_hidden_layers=" + config.numHiddenLayers()
            + ", tie_word_embeddings=" + config.tieWordEmbeddings() + ")");
      }
      long[] actual = file.tensors().get(name).shape();
      if (!Arrays.equals(actual, entry.getValue().getShape())) {
        throw new CheckpointException("tensor " + name + " in " + file.file() + " has shape "
            + Arrays.toString(actual) + " but " + CONFIG + " implies "
            + Arrays.toString(entry.getValue().getShape()));
      }
    }
    for (String name : source.keySet()) {
      boolean ignorable = name.endsWith(".rotary_emb.inv_freq")
          || (config.tieWordEmbeddings() && name.equals("lm_head.weight"));
      if (!expected.containsKey(name) && !ignorable) {
        throw new CheckpointException("tensor " + name + " in " + source.get(name).file()
            + " is not part of the model described by " + dir.resolve(CONFIG)
            + " (num_hidden_layers=" + config.numHiddenLayers() + "): config and weights do not"
            + " match");
      }
    }
  }
}
