package org.reasonrl.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;

class TokenizerTest {

  private static final List<String> SPECIALS = TokenizerFixtures.SPECIALS;
  private static final List<String> WORDS = TokenizerFixtures.WORDS;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  private static int id(String word) {
    return SPECIALS.contains(word) ? SPECIALS.indexOf(word) : SPECIALS.size() + WORDS.indexOf(word);
  }

  @Test
  void encodesDecodesAndKnowsItsSpecials() throws IOException {
    try (Tokenizer tokenizer = Tokenizer.load(TokenizerFixtures.writeTokenizer(tmp))) {
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
    Path file = TokenizerFixtures.writeTokenizer(tmp);
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
    Path file = TokenizerFixtures.writeTokenizer(tmp);
    Files.writeString(tmp.resolve("tokenizer_config.json"),
        "{\"bos_token\": {\"content\": \"[GOOD]\"}, \"eos_token\": \"<unk>\", \"pad_token\": null}");
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(4, tokenizer.bosId());
      assertEquals(3, tokenizer.eosId());
      assertEquals(0, tokenizer.padId());
    }
  }
}
