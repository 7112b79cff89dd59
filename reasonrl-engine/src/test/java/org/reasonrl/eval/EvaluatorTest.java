package org.reasonrl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.rollout.ScriptedModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;

class EvaluatorTest {

  @TempDir
  static Path dir;
  static NDManager manager;
  static Tokenizer tokenizer;

  @BeforeAll
  static void setUp() throws IOException {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    tokenizer = Tokenizer.load(file);
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void noveltyIsMeasuredWhenAReferenceSetIsGivenAndAbsentOtherwise() {
    // The policy writes " #### 42" (then its newline) after every prompt: a path without steps.
    CausalLm policy = ScriptedModel.bigram(manager, tokenizer, ":", " ####", " 4", "2", "\n",
        "Question");
    List<Problem> problems = List.of(
        new Problem("known", "Question one?", "#### 42", "42"),
        new Problem("novel", "Question two?", "6 * 7 = <<6*7=42>>42\n#### 42", "42"),
        new Problem("unreferenced", "Question three?", null, "42"));
    EvalOptions options = new EvalOptions(2, 4, 0.05, 1.0, 8, 6, true, 3, 50);
    NoveltyReference reference = NoveltyReference.of(problems);
    EvalResult result = new Evaluator(policy, tokenizer, PromptFormat.zeroShot(), null,
        reference).evaluate(problems, options, line -> { }).result();
    assertEquals(1.0, result.maj1().value(), 0, "the scripted answer is right");
    // Of the 4 correct samples of each referenced problem, those of "novel" have a new path.
    assertEquals(new Novelty(2, 8, 4, 0.5), result.novelty());
    assertEquals(2, result.groups());
    assertNull(new Evaluator(policy, tokenizer, PromptFormat.zeroShot(), null)
        .evaluate(problems, options, line -> { }).result().novelty());
  }

  @Test
  void chunkedSamplingDrawsWhatOneCallDrawsAndRerunsOnlyTheMissingChunks() throws IOException {
    LlamaConfig config = LlamaConfig.of(32, 64, 2, 4, 2, tokenizer.vocabSize(), 256, false);
    CausalLm policy = CausalLm.create(config).initializeRandom(manager,
        SeedStream.of(4, "init"));
    List<Problem> problems = IntStream.range(0, 7).mapToObj(n -> new Problem("p" + n,
        "Mia has " + n + " apples.", "#### " + n, String.valueOf(n))).toList();
    // Batches of 2 rows: greedy chunks of 6 prompts (2 chunks), sample chunks of 2 prompts
    // (3 samples each, 6 rows: 4 chunks).
    EvalOptions options = new EvalOptions(2, 3, 1.0, 1.0, 6, 2, true, 11, 50);
    Evaluator evaluator = new Evaluator(policy, tokenizer, PromptFormat.zeroShot(), null);
    EvalRun whole = evaluator.evaluate(problems, options, line -> { });

    Path chunkDir = dir.resolve("chunks");
    SampledChunks first = new SampledChunks(chunkDir, FileTime.fromMillis(0), 6);
    EvalRun chunked = evaluator.evaluate(problems, options, first, line -> { });
    assertEquals(whole.samples(), chunked.samples());
    assertEquals(whole.result(), chunked.result());
    assertEquals(6, first.sampled());
    assertEquals(0, first.reused());

    Files.delete(chunkDir.resolve("greedy-00001.json"));
    Files.delete(chunkDir.resolve("sample-00002.json"));
    Files.writeString(chunkDir.resolve("sample-00003.json.tmp"), "{\"half");
    List<String> log = new ArrayList<>();
    SampledChunks second = new SampledChunks(chunkDir, FileTime.fromMillis(0), 6);
    EvalRun resumed = evaluator.evaluate(problems, options, second, log::add);
    assertEquals(whole.samples(), resumed.samples());
    assertEquals(whole.result(), resumed.result());
    assertEquals(2, second.sampled());
    assertEquals(4, second.reused());
    assertTrue(log.contains("eval samples: reused 3 of 4 finished chunks, sampled 1"),
        String.join("\n", log));

    SampledChunks stale = new SampledChunks(chunkDir, FileTime.from(Instant.now().plusSeconds(60)),
        6);
    assertEquals(whole.samples(), evaluator.evaluate(problems, options, stale, line -> { })
        .samples());
    assertEquals(0, stale.reused(), "chunks older than the checkpoint are sampled again");
  }
}
