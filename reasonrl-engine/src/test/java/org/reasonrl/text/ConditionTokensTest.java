package org.reasonrl.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;

class ConditionTokensTest {

  private static final List<String> TEXTS =
      List.of("a plus 12 is 3", "7 + 8 = 15 .", "a [GOOD", "GOOD] BAD is a");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void aTokenizerWithoutThemGainsBothAsSpecialsAtTheNextIdsAndOtherTextIsUntouched()
      throws IOException {
    Path source = TokenizerFixtures.writeTokenizer(Files.createDirectories(tmp.resolve("hf")),
        TokenizerFixtures.PLAIN_SPECIALS);
    // A config naming another EOS: the grown copy must keep it.
    Files.writeString(source.resolveSibling("tokenizer_config.json"), "{\"eos_token\":\"<mask>\"}");
    Path target = tmp.resolve("run").resolve("tokenizer.json");
    assertEquals(target, ConditionTokens.ensure(source, target));
    try (Tokenizer before = Tokenizer.load(source); Tokenizer after = Tokenizer.load(target)) {
      int v = before.vocabSize();
      assertEquals(21, v);
      assertEquals(new ConditionTokens(v, v + 1), ConditionTokens.of(after));
      assertEquals(v + 2, after.vocabSize());
      assertTrue(after.isSpecial(ConditionTokens.GOOD) && after.isSpecial(ConditionTokens.BAD));
      for (String text : TEXTS) {
        assertArrayEquals(before.encode(text), after.encode(text), text);
        assertArrayEquals(before.encode(text, true), after.encode(text, true), text);
      }
      int[] three = before.encode("3");
      int[] equals = before.encode("=");
      int[] marked = after.encode("[BAD] 3 [GOOD] =");
      assertArrayEquals(new int[] {v + 1, three[0], v, equals[0]}, marked);
      assertArrayEquals(new int[] {1, v, three[0]}, after.encode("[GOOD] 3", true));
      assertEquals("3 =", after.decode(marked, true));
      assertEquals("[BAD] 3 [GOOD] =", after.decode(marked, false));
      assertEquals(4, after.eosId());
      assertEquals(before.bosId(), after.bosId());
      assertEquals(before.padId(), after.padId());
    }
    assertTrue(Files.isRegularFile(target.resolveSibling("tokenizer_config.json")));
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of("tokenizer.json", "tokenizer_config.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp file left");
    }
    // The grown file already holds both: it is its own answer, and nothing more is written.
    Path again = tmp.resolve("again.json");
    assertEquals(target, ConditionTokens.ensure(target, again));
    assertFalse(Files.exists(again));
  }

  @Test
  void onlyTheMissingTokenIsAdded() throws IOException {
    Path source = TokenizerFixtures.writeTokenizer(tmp); // has [GOOD] at 4, no [BAD]
    Path target = ConditionTokens.ensure(source, tmp.resolve("grown").resolve("tokenizer.json"));
    try (Tokenizer grown = Tokenizer.load(target)) {
      assertEquals(new ConditionTokens(4, 21), ConditionTokens.of(grown));
      assertEquals(22, grown.vocabSize());
    }
  }

  @Test
  void aTokenThatIsNotSpecialIsRefused() throws IOException {
    Path source = TokenizerFixtures.writeTokenizer(tmp);
    ObjectNode root = (ObjectNode) JSON.readTree(source.toFile());
    root.path("added_tokens").forEach(token -> {
      if (token.path("content").asText().equals(ConditionTokens.GOOD)) {
        ((ObjectNode) token).put("special", false);
      }
    });
    JSON.writeValue(source.toFile(), root);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ConditionTokens.ensure(source, tmp.resolve("out.json")));
    assertTrue(error.getMessage().contains("[GOOD] is in") && error.getMessage().contains("not as"
        + " a special token"), error.getMessage());
    assertFalse(Files.exists(tmp.resolve("out.json")));
  }

  /**
   * The tokenizers library numbers new added tokens from its model's vocabulary count, not from
   * the largest id: with a gap in the ids the two disagree, and that must fail, not clash.
   */
  @Test
  void aVocabularyWithAGapIsRefusedRatherThanGivenAClashingId() throws IOException {
    Path source = TokenizerFixtures.writeTokenizer(tmp, TokenizerFixtures.PLAIN_SPECIALS);
    ObjectNode root = (ObjectNode) JSON.readTree(source.toFile());
    ((ObjectNode) root.path("model").path("vocab")).remove("0");
    JSON.writeValue(source.toFile(), root);
    Path target = tmp.resolve("run").resolve("tokenizer.json");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ConditionTokens.ensure(source, target));
    assertTrue(error.getMessage().contains("lists [GOOD] as id 21 but encodes it as [20]"),
        error.getMessage());
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of(), files.toList(), "neither the file nor its temp is left");
    }
  }
}
