package org.reasonrl.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Llama architecture hyper-parameters, as in a Hugging Face {@code config.json} (snake_case
 * fields; unknown fields are ignored). Missing optional fields take Hugging Face's defaults.
 *
 * @param headDim per-head width; {@code null} means {@code hiddenSize / numAttentionHeads}
 * @param padTokenId may be {@code null}, as in Llama-2's own config
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LlamaConfig(
    @JsonProperty("hidden_size") int hiddenSize,
    @JsonProperty("intermediate_size") int intermediateSize,
    @JsonProperty("num_hidden_layers") int numHiddenLayers,
    @JsonProperty("num_attention_heads") int numAttentionHeads,
    @JsonProperty("num_key_value_heads") int numKeyValueHeads,
    @JsonProperty("head_dim") Integer headDim,
    @JsonProperty("rms_norm_eps") double rmsNormEps,
    @JsonProperty("rope_theta") double ropeTheta,
    @JsonProperty("vocab_size") int vocabSize,
    @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
    @JsonProperty("tie_word_embeddings") boolean tieWordEmbeddings,
    @JsonProperty("bos_token_id") Integer bosTokenId,
    @JsonProperty("eos_token_id") Integer eosTokenId,
    @JsonProperty("pad_token_id") Integer padTokenId) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> REQUIRED =
      List.of("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
          "vocab_size");

  public LlamaConfig {
    if (headDim == null && numAttentionHeads > 0 && hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("hidden_size (" + hiddenSize
          + ") must be a multiple of num_attention_heads (" + numAttentionHeads + ")");
    }
    headDim = headDim == null ? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0)
        : headDim;
    validate(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
        headDim, rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings);
  }

  /** A config with Llama's defaults for the optional fields (theta 10000, eps 1e-6). */
  public static LlamaConfig of(int hiddenSize, int intermediateSize, int layers, int heads,
      int kvHeads, int vocabSize, int maxPositions, boolean tied) {
    return new LlamaConfig(hiddenSize, intermediateSize, layers, heads, kvHeads, null, 1e-6,
        10000.0, vocabSize, maxPositions, tied, null, null, null);
  }

  /** The embedded benchmark's size: about 1M parameters with a ~100-token vocabulary. */
  public static LlamaConfig embeddedDefault(int vocabSize) {
    return of(128, 344, 4, 4, 2, vocabSize, 256, false);
  }

  /** Returns a copy with the given special-token ids. */
  public LlamaConfig withSpecialTokens(Integer bos, Integer eos, Integer pad) {
    return new LlamaConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
        numKeyValueHeads, headDim, rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings,
        tieWordEmbeddings, bos, eos, pad);
  }

  /** Returns a copy with another RoPE base. */
  public LlamaConfig withRopeTheta(double theta) {
    return new LlamaConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
        numKeyValueHeads, headDim, rmsNormEps, theta, vocabSize, maxPositionEmbeddings,
        tieWordEmbeddings, bosTokenId, eosTokenId, padTokenId);
  }

  /** Returns a copy with another vocabulary size (new token ids, as for RCRL's condition tokens). */
  public LlamaConfig withVocabSize(int vocab) {
    return new LlamaConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
        numKeyValueHeads, headDim, rmsNormEps, ropeTheta, vocab, maxPositionEmbeddings,
        tieWordEmbeddings, bosTokenId, eosTokenId, padTokenId);
  }

  /** Query heads sharing one key/value head. */
  public int groupSize() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Number of trainable parameters of the decoder with its LM head. */
  public long parameterCount() {
    long h = hiddenSize;
    long q = (long) numAttentionHeads * headDim;
    long kv = (long) numKeyValueHeads * headDim;
    long perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
    long embed = (long) vocabSize * h;
    return embed + numHiddenLayers * perLayer + h + (tieWordEmbeddings ? 0 : embed);
  }

  /** Parses a Hugging Face config.json; the message names the file on any problem. */
  public static LlamaConfig read(Path configJson) {
    try {
      String text = Files.readString(configJson);
      return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, configJson.toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(configJson + " is not UTF-8 text; save it as UTF-8",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + configJson + ": " + e.getMessage(), e);
    }
  }

  /** Parses config.json text; {@code source} names it in error messages. */
  public static LlamaConfig parse(String json, String source) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(source + " must hold a JSON object");
    }
    ObjectNode node = (ObjectNode) tree.deepCopy();
    rejectUnsupported(node, source);
    for (String field : REQUIRED) {
      if (!node.hasNonNull(field)) {
        throw new IllegalArgumentException(source + " lacks required field '" + field + "'");
      }
    }
    if (!node.hasNonNull("num_key_value_heads")) {
      node.set("num_key_value_heads", node.get("num_attention_heads"));
    }
    putDefault(node, "rms_norm_eps", 1e-6);
    putDefault(node, "rope_theta", 10000.0);
    putDefault(node, "max_position_embeddings", 2048);
    if (!node.hasNonNull("tie_word_embeddings")) {
      node.put("tie_word_embeddings", false);
    }
    // Some configs list several EOS ids; the first is the one generation stops on by default.
    if (node.path("eos_token_id").isArray()) {
      node.set("eos_token_id", node.get("eos_token_id").get(0));
    }
    try {
      return JSON.treeToValue(node, LlamaConfig.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String message = cause instanceof IllegalArgumentException
          ? cause.getMessage() : e.getOriginalMessage();
      // A value of the wrong type: name the field (Jackson's message names only the type).
      if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
          && !mismatch.getPath().isEmpty()) {
        String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
        if (field != null) {
          message = "field " + field + ": " + message;
        }
      }
      throw new IllegalArgumentException(source + ": " + message, e);
    }
  }

  /** The config.json text, with the fields Hugging Face needs to recognise a Llama model. */
  public String toJson() {
    ObjectNode node = JSON.valueToTree(this);
    ObjectNode out = JSON.createObjectNode();
    out.putArray("architectures").add("LlamaForCausalLM");
    out.put("model_type", "llama");
    out.put("hidden_act", "silu");
    out.put("attention_bias", false);
    out.put("mlp_bias", false);
    out.put("torch_dtype", "float32");
    out.setAll(node);
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes config.json text to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson());
  }

  private static void putDefault(ObjectNode node, String field, double value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  private static void rejectUnsupported(ObjectNode node, String source) {
    String type = node.path("model_type").asText("llama");
    if (!type.equals("llama")) {
      throw new IllegalArgumentException(source + ": model_type '" + type
          + "' is not supported (only llama, the Llama architecture)");
    }
    String act = node.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new IllegalArgumentException(
          source + ": hidden_act '" + act + "' is not supported (only silu, as in Llama)");
    }
    if (node.hasNonNull("rope_scaling")) {
      throw new IllegalArgumentException(
          source + ": rope_scaling " + node.get("rope_scaling") + " is not supported");
    }
    for (String bias : List.of("attention_bias", "mlp_bias")) {
      if (node.path(bias).asBoolean(false)) {
        throw new IllegalArgumentException(source + ": " + bias + "=true is not supported");
      }
    }
  }

  private static void validate(int hidden, int intermediate, int layers, int heads, int kvHeads,
      int headDim, double eps, double theta, int vocab, int maxPositions) {
    positive("hidden_size", hidden);
    positive("intermediate_size", intermediate);
    positive("num_hidden_layers", layers);
    positive("num_attention_heads", heads);
    positive("num_key_value_heads", kvHeads);
    positive("vocab_size", vocab);
    positive("max_position_embeddings", maxPositions);
    positive("head_dim", headDim);
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("num_attention_heads (" + heads
          + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim must be even for rotary embeddings but was "
          + headDim + " (hidden_size " + hidden + " / num_attention_heads " + heads + ")");
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("rms_norm_eps must be > 0 but was " + eps);
    }
    if (!(theta > 0)) {
      throw new IllegalArgumentException("rope_theta must be > 0 but was " + theta);
    }
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0 but was " + value);
    }
  }
}
