package org.reasonrl.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;

class TokenizerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>", "[GOOD]");
  private static final List<String> WORDS =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "plus", "is", "+", "=", ".");

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** A WordLevel tokenizer.json: whitespace split, digits one a token, BOS added on request. */
  static Path writeTokenizer(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SPECIALS.size(); i++) {
      added.addObject().put("id", i).put("content", SPECIALS.get(i)).put("single_word", false)
          .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode pres = pre.putArray("pretokenizers");
    pres.addObject().put("type", "WhitespaceSplit");
    pres.addObject().put("type", "Digits").put("individual_digits", true);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
    bos.put("id", "<s>");
    bos.putArray("ids").add(1);
    bos.putArray("tokens").add("<s>");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < SPECIALS.size(); i++) {
      vocab.put(SPECIALS.get(i), i);
    }
    for (int i = 0; i < WORDS.size(); i++) {
      vocab.put(WORDS.get(i), SPECIALS.size() + i);
    }
    model.put("unk_token", "<unk>");
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }

  private static int id(String word) {
    return SPECIALS.contains(word) ? SPECIALS.indexOf(word) : SPECIALS.size() + WORDS.indexOf(word);
  }

  @Test
  void encodesDecodesAndKnowsItsSpecials() throws IOException {
    try (Tokenizer tokenizer = Tokenizer.load(writeTokenizer(tmp))) {
      int[] ids = tokenizer.encode("a plus 12 is 3");
      assertArrayEquals(new int[] {id("a"), id("plus"), id("1"), id("2"), id("is"), id("3")}, ids);
      assertEquals("a plus 1 2 is 3", tokenizer.decode(ids));
      assertArrayEquals(new int[] {1, id("7")}, tokenizer.encode("7", true));
      assertEquals(1, tokenizer.bosId());
      assertEquals(2, tokenizer.eosId());
      assertEquals(0, tokenizer.padId());
      assertEquals(SPECIALS.size() + WORDS.size(), tokenizer.vocabSize());
      assertEquals(4, tokenizer.tokenId("[GOOD]"));
      assertTrue(tokenizer.isSpecial("[GOOD]"));
      assertArrayEquals(new int[] {id("3"), 4, id("=")}, tokenizer.encode("3 [GOOD] ="));
      assertEquals("3 =", tokenizer.decode(new int[] {id("3"), 4, id("=")}, true));
      IllegalArgumentException missing =
          assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenId("[BAD]"));
      assertTrue(missing.getMessage().contains("[BAD]"));
      List<int[]> batch = tokenizer.encodeBatch(List.of("1 + 1", "a"));
      assertArrayEquals(new int[] {id("1"), id("+"), id("1")}, batch.get(0));
      assertArrayEquals(new int[] {id("a")}, batch.get(1));
    }
  }

  @Test
  void longTextsAreNeitherTruncatedAtTheLibraryDefaultNorSilentlyCut() throws IOException {
    String digits = "1 ".repeat(600);
    Path file = writeTokenizer(tmp);
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(600, tokenizer.encode(digits).length);
    }
    try (Tokenizer small = Tokenizer.load(file, 8)) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> small.encode(digits));
      assertTrue(error.getMessage().contains("600 tokens, more than maxLength 8"),
          error.getMessage());
    }
  }

  @Test
  void tokenizerConfigOverridesSpecialNames() throws IOException {
    Path file = writeTokenizer(tmp);
    Files.writeString(tmp.resolve("tokenizer_config.json"),
        "{\"bos_token\": {\"content\": \"[GOOD]\"}, \"eos_token\": \"<unk>\", \"pad_token\": null}");
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(4, tokenizer.bosId());
      assertEquals(3, tokenizer.eosId());
      assertEquals(0, tokenizer.padId());
    }
  }
}
