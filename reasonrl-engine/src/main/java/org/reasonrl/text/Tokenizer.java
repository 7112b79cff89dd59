package org.reasonrl.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (via DJL's native tokenizers), with explicit limits:
 * nothing is truncated or padded behind the caller's back (DJL's default would silently cut at
 * 512 tokens); a text longer than {@link #maxLength()} is an error. Padding is the caller's job
 * (the model wants left padding for generation).
 *
 * <p>BOS/EOS/PAD are taken from a {@code tokenizer_config.json} beside the file when present,
 * else from the usual names ({@code <s>}, {@code </s>}, {@code <pad>}, also {@code <bos>},
 * {@code <eos>}, {@code [PAD]} …); an absent one is -1.
 */
public final class Tokenizer implements AutoCloseable {

  /** Longest text accepted by {@link #load(Path)}; Llama-2's context length. */
  public static final int DEFAULT_MAX_LENGTH = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BOS_NAMES = List.of("<s>", "<bos>", "<|begin_of_text|>", "[BOS]");
  private static final List<String> EOS_NAMES = List.of("</s>", "<eos>", "<|end_of_text|>", "[EOS]",
      "<|endoftext|>");
  private static final List<String> PAD_NAMES = List.of("<pad>", "[PAD]", "<|pad|>");

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, Integer> ids;
  private final Map<String, Integer> specials;
  private final int vocabSize;
  private final int maxLength;
  private final int bosId;
  private final int eosId;
  private final int padId;

  private Tokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Integer> ids,
      Map<String, Integer> specials, int maxLength, int bosId, int eosId, int padId) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.ids = ids;
    this.specials = specials;
    this.vocabSize = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    this.maxLength = maxLength;
    this.bosId = bosId;
    this.eosId = eosId;
    this.padId = padId;
  }

  /** Loads with {@link #DEFAULT_MAX_LENGTH}. */
  public static Tokenizer load(Path tokenizerJson) {
    return load(tokenizerJson, DEFAULT_MAX_LENGTH);
  }

  /** Loads a tokenizer.json; texts encoding to more than {@code maxLength} tokens are refused. */
  public static Tokenizer load(Path tokenizerJson, int maxLength) {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxLength must be > 0 but was " + maxLength);
    }
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new IllegalArgumentException("tokenizer file " + tokenizerJson + " does not exist");
    }
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson.toFile());
    } catch (JsonProcessingException e) {
      // The parser's own message, with the line and column, once (no "[Source: ...]" dump).
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(tokenizerJson + " is not valid JSON"
          + (at == null || at.getLineNr() < 1 ? ""
              : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
          + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + tokenizerJson + ": " + e.getMessage(),
          e);
    }
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> specials = new HashMap<>();
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...], id = index
      for (int i = 0; i < vocab.size(); i++) {
        ids.put(vocab.get(i).get(0).asText(), i);
      }
    }
    for (JsonNode added : root.path("added_tokens")) {
      ids.put(added.path("content").asText(), added.path("id").asInt());
      if (added.path("special").asBoolean(false)) {
        specials.put(added.path("content").asText(), added.path("id").asInt());
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException(tokenizerJson + " has no vocabulary (model.vocab)");
    }
    Map<String, String> configured = specialNamesFromConfig(tokenizerJson);
    int bos = find(ids, configured.get("bos_token"), BOS_NAMES, tokenizerJson);
    int eos = find(ids, configured.get("eos_token"), EOS_NAMES, tokenizerJson);
    int pad = find(ids, configured.get("pad_token"), PAD_NAMES, tokenizerJson);
    try {
      HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .optMaxLength(maxLength)
          .build();
      return new Tokenizer(tokenizerJson, hf, ids, specials, maxLength, bos, eos, pad);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load tokenizer " + tokenizerJson + ": "
          + e.getMessage(), e);
    }
  }

  /** Token ids of {@code text}, without special tokens. */
  public int[] encode(String text) {
    return encode(text, false);
  }

  /** Token ids of {@code text}; with {@code addSpecialTokens} the file's post-processor runs (e.g. BOS). */
  public int[] encode(String text, boolean addSpecialTokens) {
    return checked(tokenizer.encode(text, addSpecialTokens, false), text);
  }

  /** How many tokens {@code text} encodes to (no special tokens), however long it is. */
  public int count(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  /** Encodes each text (no special tokens), unpadded. */
  public List<int[]> encodeBatch(List<String> texts) {
    return encodeBatch(texts, false);
  }

  public List<int[]> encodeBatch(List<String> texts, boolean addSpecialTokens) {
    if (texts.isEmpty()) {
      return List.of();
    }
    Encoding[] encodings = tokenizer.batchEncode(texts, addSpecialTokens, false);
    List<int[]> out = new ArrayList<>(encodings.length);
    for (int i = 0; i < encodings.length; i++) {
      out.add(checked(encodings[i], texts.get(i)));
    }
    return out;
  }

  /** Text of {@code ids}, special tokens included. */
  public String decode(int[] ids) {
    return decode(ids, false);
  }

  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException("token id " + ids[i] + " at index " + i
            + " is outside the vocabulary of " + file + " (size " + vocabSize + ")");
      }
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, skipSpecialTokens);
  }

  /** The id of a token that must exist (e.g. RCRL's {@code [GOOD]}); fails naming the file. */
  public int tokenId(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException("token '" + token + "' is not in " + file);
    }
    return id;
  }

  /** Whether {@code token} has an id, in the vocabulary or as an added token. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** Whether {@code token} is registered as a special (added) token. */
  public boolean isSpecial(String token) {
    return specials.containsKey(token);
  }

  public int bosId() {
    return bosId;
  }

  public int eosId() {
    return eosId;
  }

  public int padId() {
    return padId;
  }

  /** One more than the largest id in the vocabulary and added tokens. */
  public int vocabSize() {
    return vocabSize;
  }

  public int maxLength() {
    return maxLength;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private int[] checked(Encoding encoding, String text) {
    long[] raw = encoding.getIds();
    if (raw.length > maxLength) {
      throw new IllegalArgumentException("text encodes to " + raw.length
          + " tokens, more than maxLength " + maxLength + ": '"
          + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'");
    }
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = (int) raw[i];
    }
    return out;
  }

  private static Map<String, String> specialNamesFromConfig(Path tokenizerJson) {
    Map<String, String> out = new HashMap<>();
    Path config = tokenizerJson.resolveSibling("tokenizer_config.json");
    if (!Files.isRegularFile(config)) {
      return out;
    }
    try {
      JsonNode node = JSON.readTree(config.toFile());
      for (String key : List.of("bos_token", "eos_token", "pad_token")) {
        JsonNode value = node.path(key);
        if (value.isTextual()) {
          out.put(key, value.asText());
        } else if (value.isObject() && value.path("content").isTextual()) {
          out.put(key, value.path("content").asText());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(config + " is not valid JSON: " + e.getMessage(), e);
    }
    return out;
  }

  private static int find(Map<String, Integer> ids, String configured, List<String> names,
      Path file) {
    if (configured != null) {
      Integer id = ids.get(configured);
      if (id == null) {
        throw new IllegalArgumentException("tokenizer_config.json beside " + file + " names '"
            + configured + "', which is not in the vocabulary");
      }
      return id;
    }
    for (String name : names) {
      Integer id = ids.get(name);
      if (id != null) {
        return id;
      }
    }
    return -1;
  }
}
