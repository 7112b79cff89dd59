package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written tokenizer.json, loaded by DJL's real Hugging Face tokenizer. */
class BenchmarkTokenizerTest {

  private static final Map<String, String> NO_SPECIALS = Map.of(
      "addSpecialTokens", "false", "truncation", "false", "padding", "false");

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
  }

  @TempDir Path dir;

  @Test
  void everyProblemSolutionAndCorpusDocumentRoundTripsExactlyWithoutUnknowns() throws IOException {
    SyntheticOptions options = SyntheticOptions.defaults().withSizes(1500, 300);
    SyntheticBenchmark benchmark = new SyntheticBenchmark(options);
    SyntheticFiles.Written written = SyntheticFiles.write(benchmark, dir);
    SyntheticBenchmark.Splits splits = benchmark.generate();
    List<String> texts = new ArrayList<>();
    List<Problem> all = new ArrayList<>(splits.train());
    all.addAll(splits.test());
    for (Problem p : all) {
      texts.add(p.question());
      texts.add(p.referenceSolution());
      texts.add(SyntheticBenchmark.measuredText(p));
    }
    // The prompts the sampler writes: few-shot exemplars before the question.
    texts.add(PromptFormat.fewShot(all.subList(0, 3)).prompt(all.get(3).question()));
    texts.addAll(new PretrainCorpus(options).generate(3, 300, splits.test()));
    texts.add("  Mia has\t3 apples; #### -3 $<<5-8=-3>>-3\n\n");
    List<String> vocabulary = SyntheticBenchmark.vocabulary();
    int unk = vocabulary.indexOf(WordLevelTokenizerJson.UNK);
    int maxLength = 0;
    long sum = 0;
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(written.tokenizer(), NO_SPECIALS)) {
      for (String text : texts) {
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        assertFalse(Arrays.stream(ids).anyMatch(id -> id == unk), "unknown token in: " + text);
        assertEquals(WordLevelTokenizerJson.pieces(text), Arrays.asList(e.getTokens()), text);
        assertEquals(text, tokenizer.decode(ids, false));
        for (int i = 0; i < ids.length; i++) {
          assertEquals(vocabulary.get((int) ids[i]), e.getTokens()[i]);
        }
      }
      for (Problem p : all) {
        int n = tokenizer.encode(SyntheticBenchmark.measuredText(p)).getIds().length + 2;
        maxLength = Math.max(maxLength, n);
        sum += n;
      }
    }
    assertEquals(written.tokens().max(), maxLength);
    assertEquals(written.tokens().mean(), (double) sum / all.size(), 1e-9);
    assertTrue(maxLength <= options.maxTokens());
    System.out.printf("vocabulary %d, tokens per prompt+solution: max %d mean %.1f%n",
        vocabulary.size(), maxLength, (double) sum / all.size());
  }

  @Test
  void versionTwoSolutionsTokenizeWithoutUnknownsUnderVersionOnesTokenizer() throws IOException {
    SyntheticBenchmarkV2 benchmark =
        new SyntheticBenchmarkV2(SyntheticV2Options.defaults().withSizes(300, 50, 100));
    SyntheticFiles.WrittenV2 written = SyntheticFiles.write(benchmark, dir);
    SyntheticBenchmarkV2.Splits splits = benchmark.generate();
    List<SyntheticBenchmarkV2.Question> all = new ArrayList<>(splits.train());
    all.addAll(splits.validation());
    all.addAll(splits.test());
    List<String> texts = new ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (SyntheticBenchmarkV2.Question q : all) {
      texts.add(SyntheticBenchmark.measuredText(q.problem()));
      texts.add(q.solutions().longestText());
      for (int i = 0; i < 10; i++) {
        texts.add(q.solutions().sample(random));
      }
    }
    int unk = SyntheticBenchmark.vocabulary().indexOf(WordLevelTokenizerJson.UNK);
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(written.tokenizer(), NO_SPECIALS)) {
      for (String text : texts) {
        Encoding e = tokenizer.encode(text);
        assertFalse(Arrays.stream(e.getIds()).anyMatch(id -> id == unk),
            "unknown token in: " + text);
        assertEquals(WordLevelTokenizerJson.pieces(text), Arrays.asList(e.getTokens()), text);
        assertEquals(text, tokenizer.decode(e.getIds(), false));
      }
    }
  }

  @Test
  void specialTokensHaveFixedIdsAndBosIsAddedOnRequest() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    List<String> vocabulary = WordLevelTokenizerJson.vocabulary(List.of("Mia has 3 apples", " Mia"));
    WordLevelTokenizerJson.write(file, vocabulary);
    assertEquals(WordLevelTokenizerJson.SPECIAL_TOKENS, vocabulary.subList(0, 6));
    try (HuggingFaceTokenizer plain = HuggingFaceTokenizer.newInstance(file, NO_SPECIALS);
        HuggingFaceTokenizer withBos = HuggingFaceTokenizer.newInstance(file,
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
      String text = "[GOOD] Mia has 3 apples.</s>";
      Encoding e = plain.encode(text);
      assertEquals(List.of("[GOOD]", " Mia", " has", " 3", " apples", ".", "</s>"),
          Arrays.asList(e.getTokens()));
      assertEquals(4, e.getIds()[0]);
      assertEquals(2, e.getIds()[e.getIds().length - 1]);
      assertEquals(text, plain.decode(e.getIds(), false));
      assertEquals(" Mia has 3 apples.", plain.decode(e.getIds(), true));
      long[] bos = withBos.encode("Mia has 3 apples.").getIds();
      assertEquals(1, bos[0]);
      assertArrayEquals(plain.encode("Mia has 3 apples.").getIds(),
          Arrays.copyOfRange(bos, 1, bos.length));
      // A word outside the vocabulary becomes <unk> rather than failing.
      assertEquals(3, plain.encode("Zebra").getIds()[0]);
    }
  }
}
