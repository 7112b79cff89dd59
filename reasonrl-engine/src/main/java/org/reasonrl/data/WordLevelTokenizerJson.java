package org.reasonrl.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a Hugging Face {@code tokenizer.json} for the embedded benchmark: a WordLevel model over
 * pieces cut by one regex split, and the {@code Fuse} decoder, so decoding concatenates the
 * pieces and reproduces the text exactly.
 *
 * <p>The split isolates every word, every digit, every punctuation mark, the GSM8K markers
 * {@code <<}, {@code >>} and {@code ####}, and every newline; a single space is glued to the
 * piece that follows it (GPT-2 style, {@code " apples"}, {@code " 4"}), which halves sequence
 * length compared with spaces as tokens of their own. Any other whitespace is a piece of its own.
 * Digits are always one a token, so every number is spelled digit by digit.
 *
 * <p>Ids 0-5 are the special tokens {@code <pad> <s> </s> <unk> [GOOD] [BAD]}; encoding with
 * special tokens prepends {@code <s>} (Llama style); {@code [GOOD]}/{@code [BAD]} are reserved for
 * Return-Conditioned RL.
 */
public final class WordLevelTokenizerJson {

  public static final String PAD = "<pad>";
  public static final String BOS = "<s>";
  public static final String EOS = "</s>";
  public static final String UNK = "<unk>";
  public static final String GOOD = "[GOOD]";
  public static final String BAD = "[BAD]";
  public static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS, UNK, GOOD, BAD);

  /** The split regex, in a syntax both java.util.regex and the tokenizers' Oniguruma accept. */
  public static final String SPLIT_REGEX =
      " ?[A-Za-z]+| ?[0-9]| ?####| ?<<| ?>>| ?[^A-Za-z0-9\\s]|\\n|\\s";

  private static final Pattern SPLIT = Pattern.compile(SPLIT_REGEX);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WordLevelTokenizerJson() {}

  /** The pieces the tokenizer's pre-tokenizer cuts {@code text} into (same regex, in Java). */
  public static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher m = SPLIT.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        pieces.add(text.substring(last, m.start()));
      }
      pieces.add(m.group());
      last = m.end();
    }
    if (last < text.length()) {
      pieces.add(text.substring(last));
    }
    return pieces;
  }

  /**
   * The vocabulary for texts: the special tokens, then every digit and ASCII punctuation mark
   * with and without a leading space, then every piece of {@code texts} (sorted, so the ids do
   * not depend on the order of the texts).
   */
  public static List<String> vocabulary(Collection<String> texts) {
    TreeSet<String> pieces = new TreeSet<>();
    for (char c = '0'; c <= '9'; c++) {
      pieces.add(String.valueOf(c));
      pieces.add(" " + c);
    }
    for (char c = '!'; c <= '~'; c++) {
      if (!Character.isLetterOrDigit(c)) {
        pieces.add(String.valueOf(c));
        pieces.add(" " + c);
      }
    }
    for (String marker : List.of("####", "<<", ">>")) {
      pieces.add(marker);
      pieces.add(" " + marker);
    }
    pieces.add("\n");
    pieces.add(" ");
    pieces.add("\t");
    for (String text : texts) {
      pieces.addAll(pieces(text));
    }
    List<String> vocabulary = new ArrayList<>(SPECIAL_TOKENS);
    for (String piece : pieces) {
      if (!vocabulary.contains(piece)) {
        vocabulary.add(piece);
      }
    }
    return vocabulary;
  }

  /** Writes {@code tokenizer.json} with ids in the order of {@code vocabulary}. */
  public static void write(Path file, List<String> vocabulary) throws IOException {
    if (!vocabulary.subList(0, SPECIAL_TOKENS.size()).equals(SPECIAL_TOKENS)) {
      throw new IllegalArgumentException("vocabulary must start with " + SPECIAL_TOKENS);
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (String token : vocabulary) {
      if (ids.putIfAbsent(token, ids.size()) != null) {
        throw new IllegalArgumentException("duplicate token '" + token + "' in vocabulary");
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : SPECIAL_TOKENS) {
      ObjectNode t = added.addObject();
      t.put("id", ids.get(special));
      t.put("content", special);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode split = root.putObject("pre_tokenizer");
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", SPLIT_REGEX);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject(BOS);
    bos.put("id", BOS);
    bos.putArray("ids").add(ids.get(BOS));
    bos.putArray("tokens").add(BOS);
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    ids.forEach(vocab::put);
    model.put("unk_token", UNK);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), root);
  }
}
