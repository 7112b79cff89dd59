package org.reasonrl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.rollout.ScriptedModel;
import org.reasonrl.runtime.EngineRuntime;
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
}
