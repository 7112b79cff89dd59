package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.eval.WrittenEvaluation;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.text.ConditionTokens;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.runtime.EngineRuntime;

class ReturnConditionedRlTest {

  @TempDir
  static Path dir;
  static DatasetSpec data;
  static List<Problem> problems;

  @BeforeAll
  static void fixtures() throws Exception {
    EngineRuntime.ensureStarted();
    data = RcrlFixtures.write(dir, 12, true);
    problems = Datasets.load(data).problems();
  }

  private static List<ReturnConditionedRl.LabelledSolution> labelled(Path run) throws Exception {
    List<ReturnConditionedRl.LabelledSolution> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(ReturnConditionedRl.LABELLED_FILE))) {
      out.add(Json.mapper().readValue(line, ReturnConditionedRl.LabelledSolution.class));
    }
    return out;
  }

  @Test
  void stepsAreLabelledByTheSuccessOfTheLabellersContinuations() throws Exception {
    Path output = dir.resolve("run");
    ReturnConditionedRl.Result result = new ReturnConditionedRl(
        RcrlFixtures.spec(dir, data, output, 4)).run(System.out::println);

    List<ReturnConditionedRl.LabelledSolution> labelled = labelled(output);
    Set<Integer> questions = new HashSet<>();
    for (ReturnConditionedRl.LabelledSolution s : labelled) {
      Problem problem = problems.get(s.question());
      boolean fortyTwo = problem.answer().equals("42");
      assertTrue(s.text().equals(" Mia\n 42") || s.text().equals(" Mia\n 7"), s.text());
      assertEquals(s.text().endsWith(" " + problem.answer()), s.correct(), s.text());
      assertEquals(2, s.stepEnds().length, "two steps: " + s.text());
      // Every continuation of " Mia\n" by the labeller answers 42: rate 1 or 0, by the answer.
      assertArrayEquals(new double[] {fortyTwo ? 1 : 0, s.correct() ? 1 : 0}, s.stepValues());
      assertArrayEquals(new boolean[] {fortyTwo, s.correct()}, s.good());
      questions.add(s.question());
    }
    // One distinct prefix per question, continued K = 3 times.
    assertEquals(questions.size(), result.labelling().prefixes());
    assertEquals(3L * questions.size(), result.labelling().continuations());
    assertEquals(12L * 4, result.sampling().rollouts());
    assertEquals(result.sampling().rollouts() + result.labelling().continuations(),
        result.rollouts());
    assertEquals(labelled.size(), result.labelling().solutions());
    assertEquals(2 * labelled.size(), result.labelling().steps());

    // Both evaluations are full eval runs, pairable with any other evaluation.
    WrittenEvaluation good = WrittenEvaluation.read(result.goodEval());
    WrittenEvaluation bad = WrittenEvaluation.read(result.badEval());
    assertEquals(problems.size(), good.outcomes().size());
    assertEquals(problems.size(), bad.outcomes().size());
    JsonNode spec = Json.mapper().readTree(result.goodEval().resolve("eval.json").toFile())
        .path("spec");
    assertEquals("[GOOD]", spec.path("stepCondition").asText());
    assertTrue(Files.isRegularFile(output.resolve("model").resolve("model.safetensors")));

    // A rerun returns the finished result without sampling again.
    ReturnConditionedRl.Result again = new ReturnConditionedRl(
        RcrlFixtures.spec(dir, data, output, 4)).run(line -> { });
    assertEquals(result, again);
  }

  @Test
  void conditioningOnGoodStepsWritesTheRightAnswerAndOnBadTheWrongOne() throws Exception {
    // Every answer is 42: the writer's " 42" steps are GOOD and its " 7" ones BAD,
    // each half the time, so only the condition token can tell the tuned policy which to write.
    Path fixture = dir.resolve("all42");
    DatasetSpec all42 = RcrlFixtures.write(fixture, 12, false);
    ReturnConditionedRl.Result result = new ReturnConditionedRl(RcrlFixtures.spec(fixture,
        all42, fixture.resolve("run"), 30, 1e-2)).run(System.out::println);
    assertEquals(1.0, result.good().maj1(), "greedy [GOOD] answers 42");
    assertEquals(0.0, result.bad().maj1(), "greedy [BAD] answers 7");
  }

  @Test
  void aCheckpointWithoutConditionTokensGainsThemAndStillLearnsTheContrast() throws Exception {
    Path fixture = dir.resolve("plain");
    DatasetSpec all42 = RcrlFixtures.write(fixture, 12, false, false);
    Path writer = fixture.resolve(RcrlFixtures.WRITER);
    int vocab;
    try (Tokenizer plain = Tokenizer.load(writer.resolve("tokenizer.json"))) {
      assertFalse(plain.isSpecial("[GOOD]") || plain.isSpecial("[BAD]"));
      vocab = plain.vocabSize();
    }
    Path output = fixture.resolve("run");
    ReturnConditionedRl.Result result = new ReturnConditionedRl(RcrlFixtures.spec(fixture,
        all42, output, 30, 1e-2)).run(System.out::println);
    // The published policy has the two tokens at the next ids and rows for them.
    try (Tokenizer grown = Tokenizer.load(output.resolve("model").resolve("tokenizer.json"))) {
      ConditionTokens ids = ConditionTokens.of(grown);
      assertEquals(List.of(vocab, vocab + 1), List.of(ids.good(), ids.bad()));
    }
    assertEquals(vocab + 2, Checkpoint.readConfig(output.resolve("model")).vocabSize());
    assertEquals(vocab, Checkpoint.readConfig(writer).vocabSize(), "π_0 is not rewritten");
    assertEquals(1.0, result.good().maj1(), "greedy [GOOD] answers 42");
    assertEquals(0.0, result.bad().maj1(), "greedy [BAD] answers 7");
  }

  @Test
  void badParametersFailBeforeAnyWorkNamingTheParameter() {
    Path output = dir.resolve("bad");
    RcrlSpec ok = RcrlFixtures.spec(dir, data, output, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withThreshold(ok, 1.5));
    assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> withThreshold(ok, -0.1));
    assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RcrlSpec(ok.checkpoint(),
        "orm", null, null, 0.5, 3, data, data, output, 0, ok.rollout(), ok.optimization(), 0,
        ok.eval(), 1));
    assertTrue(e.getMessage().contains("ormCheckpoint"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RcrlSpec(ok.checkpoint(),
        "rollouts", null, null, 0.5, 0, data, data, output, 0, ok.rollout(), ok.optimization(), 0,
        ok.eval(), 1));
    assertTrue(e.getMessage().contains("continuations"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RcrlSpec(ok.checkpoint(),
        "returns", null, null, 0.5, 3, data, data, output, 0, ok.rollout(), ok.optimization(), 0,
        ok.eval(), 1));
    assertTrue(e.getMessage().contains("labels"), e.getMessage());
    // A missing labelling policy is found before the output is touched.
    RcrlSpec missing = new RcrlSpec(ok.checkpoint(), "rollouts", dir.resolve("nowhere"), null,
        0.5, 3, data, data, output, 0, ok.rollout(), ok.optimization(), 0, ok.eval(), 1);
    assertThrows(RuntimeException.class,
        () -> new ReturnConditionedRl(missing).run(line -> { }));
    assertFalse(Files.exists(output), "bad input left " + output);
  }

  private static RcrlSpec withThreshold(RcrlSpec s, double threshold) {
    return new RcrlSpec(s.checkpoint(), s.labels(), s.labelPolicy(), s.ormCheckpoint(),
        threshold, s.continuations(), s.dataset(), s.evalDataset(), s.output(),
        s.maxQuestions(), s.rollout(), s.optimization(), s.evalProblems(), s.eval(), s.seed());
  }
}
