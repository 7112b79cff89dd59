package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.text.Tokenizer;

class SyntheticFilesTest {

  private static final SyntheticOptions SMALL = SyntheticOptions.defaults().withSizes(1500, 300);

  @TempDir Path dir;

  @Test
  void sameSeedWritesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    SyntheticFiles.write(new SyntheticBenchmark(SMALL), a);
    SyntheticFiles.write(new SyntheticBenchmark(SMALL), b);
    SyntheticFiles.write(new SyntheticBenchmark(SMALL.withSeed(SMALL.seed() + 1)), c);
    for (String name : List.of(SyntheticFiles.TRAIN_FILE, SyntheticFiles.TEST_FILE,
        SyntheticFiles.TOKENIZER_FILE, SyntheticFiles.DESCRIPTION_FILE)) {
      assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)),
          name);
    }
    assertFalse(Files.readString(a.resolve(SyntheticFiles.TRAIN_FILE))
        .equals(Files.readString(c.resolve(SyntheticFiles.TRAIN_FILE))));
  }

  @Test
  void writtenFilesAreReadBackByTheGsm8kLoaderUnchanged() throws IOException {
    SyntheticBenchmark benchmark = new SyntheticBenchmark(SMALL);
    SyntheticFiles.Written written = SyntheticFiles.write(benchmark, dir);
    SyntheticBenchmark.Splits splits = benchmark.generate();
    assertEquals(splits.train(), Gsm8k.load(written.train()).problems());
    assertEquals(splits.test(), Gsm8k.load(written.test()).problems());
    JsonNode description = new ObjectMapper().readTree(written.description().toFile());
    assertEquals(SMALL.seed(), description.get("options").get("seed").asLong());
    assertEquals(1500, description.get("train").asInt());
    assertEquals(300, description.get("test").asInt());
    assertEquals(written.tokens().max(), description.get("tokens").get("max").asInt());
  }

  @Test
  void theDescriptionCountsTheStepsAndTokensOfTheProblemsOnDisk() throws IOException {
    SyntheticFiles.Written written =
        SyntheticFiles.write(new SyntheticBenchmark(SMALL.withSizes(200, 50)), dir);
    JsonNode description = new ObjectMapper().readTree(written.description().toFile());
    List<Problem> train = Gsm8k.load(written.train()).problems();
    Map<String, Integer> steps = new TreeMap<>();
    for (Problem p : train) {
      steps.merge(Integer.toString(Answers.annotations(p.referenceSolution()).size()), 1,
          Integer::sum);
    }
    Map<String, Integer> described = new TreeMap<>();
    description.get("trainSteps").properties()
        .forEach(e -> described.put(e.getKey(), e.getValue().asInt()));
    assertEquals(steps, described);

    // Tokens as the written tokenizer counts them: zero-shot prompt, completion, BOS and EOS.
    int max = 0;
    List<Problem> all = new ArrayList<>(train);
    all.addAll(Gsm8k.load(written.test()).problems());
    try (Tokenizer tokenizer = Tokenizer.load(written.tokenizer())) {
      assertEquals(tokenizer.vocabSize(), description.get("vocabularySize").asInt());
      for (Problem p : all) {
        String text = PromptFormat.zeroShot().prompt(p.question())
            + PromptFormat.completion(p.referenceSolution());
        max = Math.max(max, tokenizer.encode(text).length + 2);
      }
    }
    assertEquals(max, description.get("tokens").get("max").asInt());
    assertEquals(all.size(), description.get("tokens").get("count").asInt());
    assertEquals("\"Question: \" + question + \"\\nAnswer: \" + solution, + BOS, EOS",
        description.get("tokensMeasuredOn").asText());
  }
}
