package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Gsm8k;
import org.reasonrl.data.Problem;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.SampledChunks;
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.rollout.ScriptedModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.runtime.SeedStream;

class EvaluationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Path checkpoint;
  static Path orm;
  static Path data;

  /** A policy that answers "#### 42" to every question, and three problems, two with gold 42. */
  @BeforeAll
  static void setUp() throws IOException {
    EngineRuntime.ensureStarted();
    Path tokenizerFile = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    checkpoint = dir.resolve("policy");
    orm = dir.resolve("orm");
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      CausalLm policy = ScriptedModel.bigram(manager, tokenizer, ":", " ####", " 4", "2", "\n");
      Checkpoint.save(policy, checkpoint, tokenizerFile);
      new OutcomeRewardModel(policy, ScalarHead.create(policy.config().hiddenSize(), manager,
          SeedStream.of(5, "head")))
          .save(orm, tokenizerFile);
    }
    data = dir.resolve("data");
    Files.createDirectories(data);
    Gsm8k.write(data.resolve("test.jsonl"), List.of(
        new Problem("a", "Mia has 40 apples and buys 2 more apples. How many apples?",
            "Mia has 40 + 2 = <<40+2=42>>42 apples.\n#### 42", "42"),
        new Problem("b", "Tom has 7 pens. How many pens?", "Tom has 7 pens.\n#### 7", "7"),
        new Problem("c", "Lily has 21 cups and gets 21 more cups. How many cups?",
            "Lily has 21 + 21 = <<21+21=42>>42 cups.\n#### 42", "42")));
  }

  @Test
  void writesMetricsThatFollowFromTheSamplesFile() throws IOException {
    Path out = dir.resolve("eval-out");
    EvalOptions options = new EvalOptions(3, 5, 0.2, 1.0, 12, 4, true, 7, 200);
    EvalSpec spec = new EvalSpec(checkpoint,
        new DatasetSpec("gsm8k", data, "test", true), 0, 0, orm, options, out);
    List<String> log = new ArrayList<>();
    Evaluation.Report report = new Evaluation(spec).run(log::add);

    // Worked by hand: the policy says 42 to all three questions; two of them are 42.
    assertEquals(2.0 / 3, report.result().maj1().value(), 1e-9);
    assertEquals(2.0 / 3, report.result().majAtK().value(), 1e-9);
    assertEquals(2.0 / 3, report.result().passAtK().value(), 1e-9);
    assertEquals(2.0 / 3, report.result().rerankAtK().value(), 1e-9);
    assertEquals(3 * (1 + 5), report.rollouts());

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(Evaluation.SAMPLES_FILE))) {
      lines.add(JSON.readTree(line));
    }
    assertEquals(18, lines.size());
    int greedyCorrect = 0;
    for (JsonNode line : lines) {
      assertEquals("42", line.get("answer").asText(), line.toString());
      assertEquals(" #### 42\n", line.get("completion").asText());
      assertEquals("answer_line", line.get("stop").asText());
      assertEquals(line.get("gold").asText().equals("42"), line.get("correct").asBoolean());
      if (line.get("kind").asText().equals("sample")) {
        assertNotNull(line.get("ormScore"));
      } else {
        greedyCorrect += line.get("correct").asBoolean() ? 1 : 0;
      }
    }
    assertEquals(2, greedyCorrect);

    JsonNode written = JSON.readTree(out.resolve(Evaluation.RESULT_FILE).toFile());
    assertEquals(3, written.at("/result/problems").asInt());
    assertEquals(2.0 / 3, written.at("/result/passAtK/value").asDouble(), 1e-9);
    assertEquals(report.generatedTokens(), written.at("/generatedTokens").asLong());
    assertEquals("PyTorch", written.at("/runtime/engineName").asText());
    assertTrue(written.at("/seconds/sampling").asDouble() > 0);
    assertTrue(log.stream().anyMatch(l -> l.contains("maj@1 0.667")), log.toString());
  }

  @Test
  void aRerunWithTheSameSpecReturnsTheWrittenReportAndAChangeEvaluatesAgain() throws IOException {
    Path out = dir.resolve("eval-rerun");
    EvalSpec spec = new EvalSpec(checkpoint, new DatasetSpec("gsm8k", data, "test", true), 2, 0,
        orm, new EvalOptions(2, 2, 1.0, 1.0, 8, 4, true, 1, 50), out);
    Evaluation.Report first = new Evaluation(spec).run(line -> { });
    Path resultFile = out.resolve(Evaluation.RESULT_FILE);
    FileTime written = FileTime.fromMillis(
        System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(resultFile, written);
    for (Path file : Files.list(checkpoint).toList()) {
      Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() - 60_000));
    }
    for (Path file : Files.list(orm).toList()) {
      Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() - 60_000));
    }

    List<String> log = new ArrayList<>();
    Evaluation.Report again = new Evaluation(spec).run(log::add);
    assertEquals(first.result(), again.result());
    assertEquals(first.rollouts(), again.rollouts());
    assertEquals(written, Files.getLastModifiedTime(resultFile), "not written again");
    assertTrue(log.stream().anyMatch(l -> l.startsWith("eval already finished")), log.toString());

    // Another spec on the same output is refused before any work, naming what differs.
    EvalSpec threeProblems = new EvalSpec(checkpoint, spec.dataset(), 3, 0, orm, spec.options(),
        out);
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> new Evaluation(threeProblems).run(line -> { }));
    assertEquals(List.of("spec.maxProblems: 2 → 3"), refused.differences());
    assertEquals(written, Files.getLastModifiedTime(resultFile), "refused without writing");

    // A checkpoint changed after the evaluation is evaluated again.
    Files.setLastModifiedTime(resultFile, written);
    Files.setLastModifiedTime(checkpoint.resolve("config.json"),
        FileTime.fromMillis(written.toMillis() + 1_000));
    List<String> retrained = new ArrayList<>();
    new Evaluation(spec).run(retrained::add);
    assertFalse(retrained.stream().anyMatch(l -> l.startsWith("eval already finished")),
        retrained.toString());
    assertFalse(retrained.stream().anyMatch(l -> l.contains("reused")),
        "chunks of the old checkpoint were reused: " + retrained);
    assertTrue(Files.getLastModifiedTime(resultFile).compareTo(written) > 0);
  }

  /**
   * Killed after every chunk and {@code samples.jsonl} were written, before {@code eval.json}
   * (a half-written chunk beside them): the rerun samples nothing and writes the same files,
   * ORM scores included.
   */
  @Test
  void aRunKilledBeforeItsResultReusesEveryChunk() throws IOException {
    Path out = dir.resolve("eval-late-kill");
    EvalSpec spec = new EvalSpec(checkpoint, new DatasetSpec("gsm8k", data, "test", true), 0, 0,
        orm, new EvalOptions(2, 3, 1.0, 1.0, 8, 2, true, 1, 50), out);
    new Evaluation(spec).run(line -> { });
    byte[] samples = Files.readAllBytes(out.resolve(Evaluation.SAMPLES_FILE));
    JsonNode result = JSON.readTree(out.resolve(Evaluation.RESULT_FILE).toFile()).get("result");
    Files.delete(out.resolve(Evaluation.RESULT_FILE));
    Files.writeString(out.resolve(SampledChunks.DIR).resolve("sample-00000.json.tmp"), "{");
    List<String> log = new ArrayList<>();
    new Evaluation(spec).run(log::add);
    assertTrue(log.contains("eval greedy: reused 1 of 1 finished chunks, sampled 0"),
        log.toString());
    assertTrue(log.contains("eval samples: reused 1 of 1 finished chunks, sampled 0"),
        log.toString());
    assertArrayEquals(samples, Files.readAllBytes(out.resolve(Evaluation.SAMPLES_FILE)));
    assertEquals(result,
        JSON.readTree(out.resolve(Evaluation.RESULT_FILE).toFile()).get("result"));
    assertFalse(Files.exists(out.resolve(SampledChunks.DIR).resolve("sample-00000.json.tmp")));
  }

  @Test
  void withoutAnOrmRerankIsAbsentNotFaked() {
    Path out = dir.resolve("eval-no-orm");
    EvalSpec spec = new EvalSpec(checkpoint, new DatasetSpec("gsm8k", data, "test", true), 2, 0,
        null, new EvalOptions(2, 2, 1.0, 1.0, 8, 4, false, 1, 50), out);
    Evaluation.Report report = new Evaluation(spec).run(line -> { });
    assertEquals(null, report.result().rerankAtK());
    assertEquals(null, report.result().maj1());
    assertEquals(2, report.result().problems());
  }

  /**
   * An over-long question is a bad record: named (file and problem), before any work, with no
   * advice about exemplars that are not used; under failOnBadRecord=false it is skipped and
   * counted, and the rest is evaluated.
   */
  @Test
  void anOverLongQuestionIsABadRecordNamedOrSkippedAndCounted() throws IOException {
    Path longData = dir.resolve("long-data");
    Files.createDirectories(longData);
    Gsm8k.write(longData.resolve("test.jsonl"), List.of(
        new Problem("a", "Mia has 40 apples and buys 2 more apples. How many apples?",
            "Mia has 40 + 2 = <<40+2=42>>42 apples.\n#### 42", "42"),
        new Problem("long", "Mia has 40 apples. " + "She buys 2 more apples. ".repeat(120)
            + "How many apples?", "#### 282", "282")));
    Path out = dir.resolve("eval-long");
    EvalOptions options = EvalOptions.of(1, 1.0, 8, 4, 1);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new Evaluation(new EvalSpec(checkpoint, new DatasetSpec("gsm8k", longData, "test",
            true), 0, 0, null, options, out)).run(line -> { }));
    assertTrue(bad.getMessage().startsWith("bad record in " + longData.resolve("test.jsonl")
        + " problem long: its prompt is "), bad.getMessage());
    assertTrue(bad.getMessage().contains("the model's context of 512 tokens"), bad.getMessage());
    assertFalse(bad.getMessage().contains("few-shot"), bad.getMessage());
    assertFalse(Files.exists(out));

    Evaluation.Report report = new Evaluation(new EvalSpec(checkpoint, new DatasetSpec("gsm8k",
        longData, "test", false), 0, 0, null, options, out)).run(line -> { });
    assertEquals(1, report.result().problems());
    assertEquals(1, report.skippedRecords());
  }

  /** Exemplars that fill the model's context are refused naming fewShot and that context. */
  @Test
  void tooManyExemplarsAreRefusedAgainstTheModelsContext() throws IOException {
    Path longData = dir.resolve("long-exemplar");
    Files.createDirectories(longData);
    Gsm8k.write(longData.resolve("test.jsonl"), List.of(
        new Problem("e", "Tom has 7 pens. How many pens?",
            "Tom has 7 pens. ".repeat(1100) + "\n#### 7", "7"),
        new Problem("b", "Tom has 7 pens. How many pens?", "Tom has 7 pens.\n#### 7", "7")));
    Path out = dir.resolve("eval-exemplars");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new Evaluation(new EvalSpec(checkpoint, new DatasetSpec("gsm8k", longData, "test",
            true), 0, 1, null, EvalOptions.of(1, 1.0, 8, 4, 1), out)).run(line -> { }));
    assertTrue(refused.getMessage().startsWith("fewShot=1: the worked exemplars alone are "),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("model's context (max_position_embeddings in"
        + " config.json) is 512 tokens"), refused.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void badInputFailsBeforeAnyOutputIsWritten() {
    Path out = dir.resolve("never-written");
    EvalOptions options = EvalOptions.of(2, 1.0, 8, 4, 1);
    assertThrows(IllegalArgumentException.class, () -> EvalOptions.of(0, 1.0, 8, 4, 1));
    // Refused with the spec, not after the greedy pass; named as the goals name them.
    assertEquals("topP must be in (0, 1] but was 0.0", assertThrows(
        IllegalArgumentException.class,
        () -> new EvalOptions(2, 2, 1.0, 0.0, 8, 4, true, 1, 50)).getMessage());
    assertEquals("samplingBatch (rows decoded together) must be >= 1 but was 0", assertThrows(
        IllegalArgumentException.class,
        () -> new EvalOptions(2, 2, 1.0, 1.0, 8, 0, true, 1, 50)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new DatasetSpec("mathqa", null, "test", true));
    assertThrows(CheckpointException.class, () -> new Evaluation(new EvalSpec(
        dir.resolve("no-such-checkpoint"), new DatasetSpec("gsm8k", data, "test", true), 0, 0,
        null, options, out)).run(line -> { }));
    assertThrows(IllegalArgumentException.class, () -> new Evaluation(new EvalSpec(checkpoint,
        new DatasetSpec("gsm8k", dir.resolve("missing.jsonl"), "test", true), 0, 0, null,
        options, out)).run(line -> { }));
    assertFalse(Files.exists(out));
  }
}
