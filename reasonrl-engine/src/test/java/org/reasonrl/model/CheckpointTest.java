package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;

class CheckpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static NDManager manager;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static final int[][] IDS = {{0, 0, 3, 4, 5}, {6, 7, 8, 9, 10}};
  private static final int[][] MASK = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};

  private static float[] logits(CausalLm model) {
    return ModelFixtures.logits(manager, model, IDS, MASK);
  }

  private CausalLm savedModel(Path dir, long maxShard) throws IOException {
    CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 31);
    Path tokenizer = tmp.resolve("tok.json");
    Files.writeString(tokenizer, "{\"version\":\"1.0\"}");
    Checkpoint.save(model, dir, tokenizer, maxShard);
    return model;
  }

  @Test
  void saveThenLoadGivesIdenticalLogits() throws IOException {
    Path dir = tmp.resolve("ckpt");
    CausalLm model = savedModel(dir, Checkpoint.DEFAULT_MAX_SHARD_BYTES);
    assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
    assertTrue(Files.isRegularFile(dir.resolve("generation_config.json")));
    assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
    assertEquals(model.config(), Checkpoint.readConfig(dir));
    assertEquals("llama", JSON.readTree(dir.resolve("config.json").toFile())
        .path("model_type").asText());
    assertEquals(2, JSON.readTree(dir.resolve("generation_config.json").toFile())
        .path("eos_token_id").asInt());
    CausalLm loaded = Checkpoint.load(dir, manager);
    assertTrue(java.util.Arrays.equals(logits(model), logits(loaded)));
    // Nothing left behind by the atomic write, and overwriting works.
    Checkpoint.save(loaded, dir, null);
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of("ckpt", "tok.json"),
          siblings.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void shardedSaveAndLoad() throws IOException {
    Path dir = tmp.resolve("sharded");
    CausalLm model = savedModel(dir, 5_000);
    assertFalse(Files.exists(dir.resolve("model.safetensors")));
    var index = JSON.readTree(dir.resolve("model.safetensors.index.json").toFile());
    long shards;
    try (Stream<Path> files = Files.list(dir)) {
      shards = files.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count();
    }
    assertTrue(shards > 2, "shards: " + shards);
    assertEquals(String.format("model-00001-of-%05d.safetensors", shards),
        index.path("weight_map").path("model.embed_tokens.weight").asText());
    assertEquals(model.config().parameterCount() * 4, index.path("metadata").path("total_size").asLong());
    assertTrue(java.util.Arrays.equals(logits(model), logits(Checkpoint.load(dir, manager))));
  }

  @Test
  void bf16AndF16CheckpointsLoadWithinDtypeTolerance() throws IOException {
    CausalLm model = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 32);
    float[] expected = logits(model);
    for (String dtype : List.of("BF16", "F16")) {
      Path dir = tmp.resolve(dtype);
      Files.createDirectories(dir);
      model.config().write(dir.resolve("config.json"));
      writeHalf(dir.resolve("model.safetensors"), ModelFixtures.weights(model), dtype);
      float[] actual = logits(Checkpoint.load(dir, manager));
      double tolerance = dtype.equals("BF16") ? 0.1 : 0.01;
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst < tolerance, dtype + " max logit error " + worst);
      assertTrue(worst > 0, dtype + " should not be bit-identical to F32");
    }
  }

  @Test
  void readsATensorStoredBeyondTwoGibibytes() throws IOException {
    // A sparse file: 2 GiB + 8 bytes of "padding" tensor (never read), then a 4-float tensor.
    long padBytes = (1L << 31) + 8;
    String header = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[" + padBytes / 4
        + "],\"data_offsets\":[0," + padBytes + "]},\"x\":{\"dtype\":\"BF16\",\"shape\":[2,2],"
        + "\"data_offsets\":[" + padBytes + "," + (padBytes + 8) + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    Path file = tmp.resolve("big.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(json.length).put(json);
      raf.write(head.array());
      raf.seek(8 + json.length + padBytes);
      ByteBuffer x = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : new float[] {1f, -2f, 0.5f, 3f}) {
        x.putShort((short) (Float.floatToIntBits(v) >>> 16));
      }
      raf.write(x.array());
    }
    Safetensors safetensors = Safetensors.open(file);
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = safetensors.read("x", scope);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 2), x.getShape());
      assertTrue(java.util.Arrays.equals(new float[] {1f, -2f, 0.5f, 3f}, x.toFloatArray()));
    }
  }

  @Test
  void halfDecodersMatchHandWorkedValues() {
    assertEquals(1.0f, Safetensors.f16ToFloat((short) 0x3c00));
    assertEquals(-2.0f, Safetensors.f16ToFloat((short) 0xc000));
    assertEquals(0x1p-24f, Safetensors.f16ToFloat((short) 0x0001));
    assertEquals(65504f, Safetensors.f16ToFloat((short) 0x7bff));
    assertEquals(Float.POSITIVE_INFINITY, Safetensors.f16ToFloat((short) 0x7c00));
    assertEquals(1.0f, Safetensors.bf16ToFloat((short) 0x3f80));
    assertEquals(-0.15625f, Safetensors.bf16ToFloat((short) 0xbe20));
  }

  @Test
  void indexNamingAMissingShardFails() throws IOException {
    Path dir = tmp.resolve("missing-shard");
    savedModel(dir, 5_000);
    String second = shardName(dir, 2);
    Files.delete(dir.resolve(second));
    expectFailure(dir, "does not exist", second, "model.safetensors.index.json", "tensor ");
  }

  @Test
  void truncatedFileFails() throws IOException {
    Path dir = tmp.resolve("truncated");
    savedModel(dir, Checkpoint.DEFAULT_MAX_SHARD_BYTES);
    Path file = dir.resolve("model.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - 100);
    }
    expectFailure(dir, "truncated", "model.safetensors", "tensor ");
  }

  @Test
  void wrongShapeFails() throws IOException {
    Path dir = tmp.resolve("wrong-shape");
    savedModel(dir, Checkpoint.DEFAULT_MAX_SHARD_BYTES);
    // Same byte count, transposed shape: only the shape check can catch it.
    editHeader(dir.resolve("model.safetensors"), header -> {
      var shape = (com.fasterxml.jackson.databind.node.ArrayNode)
          header.path("model.layers.0.mlp.up_proj.weight").path("shape");
      long a = shape.get(0).asLong();
      long b = shape.get(1).asLong();
      shape.removeAll();
      shape.add(b).add(a);
    });
    expectFailure(dir, "model.layers.0.mlp.up_proj.weight", "has shape [16, 40]",
        "implies [40, 16]");
  }

  @Test
  void configWeightsMismatchFails() throws IOException {
    Path dir = tmp.resolve("mismatch");
    CausalLm model = savedModel(dir, Checkpoint.DEFAULT_MAX_SHARD_BYTES);
    LlamaConfig c = model.config();
    LlamaConfig moreLayers = new LlamaConfig(c.hiddenSize(), c.intermediateSize(), 3,
        c.numAttentionHeads(), c.numKeyValueHeads(), null, c.rmsNormEps(), c.ropeTheta(),
        c.vocabSize(), c.maxPositionEmbeddings(), false, 1, 2, 0);
    Files.delete(dir.resolve("config.json"));
    moreLayers.write(dir.resolve("config.json"));
    expectFailure(dir, "model.layers.2.", "missing");
    LlamaConfig fewerLayers = new LlamaConfig(c.hiddenSize(), c.intermediateSize(), 1,
        c.numAttentionHeads(), c.numKeyValueHeads(), null, c.rmsNormEps(), c.ropeTheta(),
        c.vocabSize(), c.maxPositionEmbeddings(), false, 1, 2, 0);
    Files.delete(dir.resolve("config.json"));
    fewerLayers.write(dir.resolve("config.json"));
    expectFailure(dir, "model.layers.1.", "do not match");
    LlamaConfig widerVocab = new LlamaConfig(c.hiddenSize(), c.intermediateSize(), 2,
        c.numAttentionHeads(), c.numKeyValueHeads(), null, c.rmsNormEps(), c.ropeTheta(),
        c.vocabSize() + 1, c.maxPositionEmbeddings(), false, 1, 2, 0);
    Files.delete(dir.resolve("config.json"));
    widerVocab.write(dir.resolve("config.json"));
    expectFailure(dir, "model.embed_tokens.weight", "[23, 16]", "[24, 16]");
  }

  @Test
  void unknownDtypeFails() throws IOException {
    Path dir = tmp.resolve("dtype");
    savedModel(dir, Checkpoint.DEFAULT_MAX_SHARD_BYTES);
    editHeader(dir.resolve("model.safetensors"),
        header -> ((ObjectNode) header.path("model.norm.weight")).put("dtype", "I32"));
    expectFailure(dir, "model.norm.weight", "I32", "not supported");
  }

  @Test
  void configErrorsAreClear() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.parse("{\"hidden_size\": 8}", "x/config.json"));
    assertTrue(missing.getMessage().contains("x/config.json lacks required field"),
        missing.getMessage());
    IllegalArgumentException gqa = assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.parse("{\"hidden_size\":16,\"intermediate_size\":4,\"num_hidden_layers\":1,"
            + "\"num_attention_heads\":4,\"num_key_value_heads\":3,\"vocab_size\":5}", "c.json"));
    assertTrue(gqa.getMessage().contains("multiple of num_key_value_heads"), gqa.getMessage());
    LlamaConfig parsed = LlamaConfig.parse("{\"hidden_size\":16,\"intermediate_size\":4,"
        + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"vocab_size\":5,\"foo\":1,"
        + "\"eos_token_id\":[7,8]}", "c.json");
    assertEquals(4, parsed.numKeyValueHeads());
    assertEquals(10000.0, parsed.ropeTheta());
    assertEquals(7, parsed.eosTokenId());
    assertEquals(parsed, LlamaConfig.parse(parsed.toJson(), "again"));
  }

  @Test
  void aConfigWithAByteOrderMarkIsReadAndOneNotInUtf8IsNamed() throws IOException {
    String json = "{\"hidden_size\":16,\"intermediate_size\":4,\"num_hidden_layers\":1,"
        + "\"num_attention_heads\":4,\"vocab_size\":5,\"_name_or_path\":\"Ren\u00e9e\"}";
    Path bom = tmp.resolve("bom.json");
    Files.write(bom, ("\uFEFF" + json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(16, LlamaConfig.read(bom).hiddenSize());
    Path latin1 = tmp.resolve("latin1.json");
    Files.write(latin1, json.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LlamaConfig.read(latin1));
    assertTrue(e.getMessage().startsWith(latin1 + " is not UTF-8 text"), e.getMessage());
  }

  private static String shardName(Path dir, int k) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(String.format("model-%05d-of-", k))).findFirst().orElseThrow();
    }
  }

  private static void expectFailure(Path dir, String... fragments) {
    CheckpointException error =
        assertThrows(CheckpointException.class, () -> Checkpoint.load(dir, manager));
    for (String fragment : fragments) {
      assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
  }

  /** Rewrites a safetensors header in place of the old one, keeping the data. */
  private static void editHeader(Path file, Consumer<ObjectNode> edit) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) JSON.readTree(new String(bytes, 8, (int) length,
        StandardCharsets.UTF_8));
    edit.accept(header);
    byte[] json = JSON.writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - 8 - (int) length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(bytes, 8 + (int) length, bytes.length - 8 - (int) length);
    Files.write(file, out.array());
  }

  /** An independent safetensors writer for 16-bit dtypes (round to nearest even). */
  static void writeHalf(Path file, Map<String, float[]> tensors, String dtype) throws IOException {
    Map<String, float[]> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    Map<String, long[]> shapes = shapesOf(sorted);
    for (var entry : sorted.entrySet()) {
      ObjectNode node = header.putObject(entry.getKey());
      node.put("dtype", dtype);
      var shape = node.putArray("shape");
      for (long d : shapes.get(entry.getKey())) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + entry.getValue().length * 2L);
      offset += entry.getValue().length * 2L;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json);
    for (float[] values : sorted.values()) {
      for (float v : values) {
        out.putShort(dtype.equals("BF16") ? toBf16(v) : toF16(v));
      }
    }
    Files.write(file, out.array());
  }

  private static Map<String, long[]> shapesOf(Map<String, float[]> tensors) {
    LlamaConfig c = ModelFixtures.tiny(false);
    Map<String, long[]> out = new TreeMap<>();
    CausalLm.create(c).expectedShapes().forEach((n, s) -> out.put(n, s.getShape()));
    return out;
  }

  private static short toBf16(float v) {
    int bits = Float.floatToIntBits(v);
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  private static short toF16(float v) {
    int sign = v < 0 || (v == 0 && 1 / v < 0) ? 0x8000 : 0;
    float a = Math.abs(v);
    if (a < 0x1p-14f) {
      return (short) (sign | Math.round(a / 0x1p-24f));
    }
    int exponent = Math.getExponent(a);
    int mantissa = Math.round((a / (float) Math.pow(2, exponent) - 1) * 1024);
    if (mantissa == 1024) {
      mantissa = 0;
      exponent++;
    }
    return (short) (sign | ((exponent + 15) << 10) | mantissa);
  }
}
