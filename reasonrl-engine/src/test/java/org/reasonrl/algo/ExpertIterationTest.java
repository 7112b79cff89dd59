package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Gsm8k;
import org.reasonrl.data.Problem;
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.reward.CorrectnessReward;
import org.reasonrl.reward.TokenRewards;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.rollout.StopReason;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.train.Optimization;

class ExpertIterationTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  private static Rollout rollout(int prompt, int sample, String text, int[] tokens,
      StopReason stop) {
    return new Rollout(prompt, sample, new int[] {1}, tokens, new float[tokens.length],
        new float[tokens.length], text, stop);
  }

  @Test
  void selectionKeepsAcceptedDistinctFinishedSolutionsAndUnionsWithThePast() {
    List<Problem> questions = List.of(new Problem("q0", "a?", null, "5"),
        new Problem("q1", "b?", null, "6"));
    int eos = 2;
    List<Rollout> rollouts = List.of(
        rollout(0, 0, " 2 + 3 = 5\n#### 5", new int[] {10, 11}, StopReason.ANSWER_LINE),
        rollout(0, 1, " 2 +  3 = 5\n#### 5 ", new int[] {10, 12, 11}, StopReason.EOS),
        rollout(0, 2, " 1 + 4 = 5\n#### 5", new int[] {13, eos}, StopReason.EOS),
        rollout(0, 3, " 9\n#### 9", new int[] {14}, StopReason.ANSWER_LINE),
        rollout(1, 0, " 3 + 3 = 6\n#### 6", new int[] {15}, StopReason.ANSWER_LINE),
        rollout(1, 1, " 6 6 6 6", new int[] {16, 16}, StopReason.MAX_TOKENS));
    boolean[] accepted = {true, true, true, false, true, true};
    List<SolutionFilter.Solution> previous = List.of(
        new SolutionFilter.Solution(1, "q1", "3 + 3 = 6\n####   6", new int[] {15, eos}, 1));

    SolutionFilter.Selection selection =
        SolutionFilter.select(questions, rollouts, accepted, previous, 2, eos);

    // Rollout 3 is rejected, rollout 5 never finished; 0 and 1 differ only in whitespace.
    assertEquals(4, selection.accepted());
    assertEquals(List.of(" 2 + 3 = 5\n#### 5", " 1 + 4 = 5\n#### 5", " 3 + 3 = 6\n#### 6"),
        selection.kept().stream().map(SolutionFilter.Solution::text).toList());
    // Question 1's solution was already in D_1: R_2 adds two new ones.
    assertEquals(2, selection.newDistinct());
    assertEquals(3, selection.dataset().size());
    assertEquals(previous.get(0), selection.dataset().get(0));
    assertArrayEquals(new int[] {10, 11, eos}, selection.dataset().get(1).tokens());
    assertArrayEquals(new int[] {13, eos}, selection.dataset().get(2).tokens());
    assertEquals(2, selection.dataset().get(1).round());
  }

  @Test
  void theStrictFilterKeepsOnlyAnswersOnAnAnswerLine() {
    TokenRewards onLine = new CorrectnessReward().score(
        rollout(0, 0, " 40 + 2 = 42\n#### 42", new int[] {1}, StopReason.EOS),
        new Problem("q", "?", null, "42"));
    TokenRewards lastNumber = new CorrectnessReward().score(
        rollout(0, 0, " 40 + 2 = 42", new int[] {1}, StopReason.EOS),
        new Problem("q", "?", null, "42"));
    assertTrue(lastNumber.correct(), "the flexible extraction finds the last number");
    assertTrue(ExpertIteration.passes(onLine, null, true));
    assertFalse(ExpertIteration.passes(lastNumber, null, true));
    assertTrue(ExpertIteration.passes(lastNumber, null, false));
    // ORM EI: the score decides, the strict line still required.
    assertTrue(ExpertIteration.passes(lastNumber, 0.9, false) == (lastNumber.total() >= 0.9));
    assertFalse(ExpertIteration.passes(lastNumber, 0.0, true));
    assertTrue(ExpertIteration.passes(lastNumber, 0.0, false));
  }

  @Test
  void epochsOfTheRoundsDataSetItsStepsAndTheControlMatchesThemOnTheSampledQuestions()
      throws Exception {
    Path policy = EiFixtures.scriptedPolicy(temp.resolve("policy"));
    DatasetSpec data = EiFixtures.problems(temp.resolve("data"));
    // Only questions a (42) and b (7) are sampled: D_1 = {a}.
    ExpertIteration.Result result = new ExpertIteration(EiFixtures.spec(policy, data,
        temp.resolve("ei"), 1, 100, 2, new EiFineTuning(3, false, true))).run(line -> { });
    ExpertIteration.Round round = result.rounds().get(0);
    assertEquals(1, round.datasetSize());
    assertEquals(1, round.fineTuneExamples());
    assertEquals(2, round.fineTuneSteps(), "ceil(3 epochs x 1 example / batch 2)");
    ExpertIteration.Control control = result.controls().get(0);
    assertEquals(2, control.referenceSolutions(), "the references of a and b, not of c");
    assertEquals(2, control.fineTuneSteps(), "the round's steps");

    // A control alone cannot know the steps of a round it does not run.
    Exception alone = assertThrows(IllegalArgumentException.class, () -> EiFixtures.spec(
        policy, data, temp.resolve("alone"), 0, 100, 2, new EiFineTuning(3, false, true)));
    assertTrue(alone.getMessage().contains("fineTuneEpochs"), alone.getMessage());
  }

  @Test
  void theReferenceArmAddsTheSampledQuestionsReferencesThatAreNotAlreadyKept()
      throws Exception {
    Path policy = EiFixtures.scriptedPolicy(temp.resolve("policy"));
    Path dir = temp.resolve("data");
    Files.createDirectories(dir);
    // a's reference is the text the policy samples (up to whitespace): one copy is trained on.
    List<Problem> problems = List.of(
        new Problem("a", "Mia has 40 apples and buys 2 more apples. How many apples?",
            "#### 42", "42"),
        new Problem("b", "Tom has 7 pens. How many pens?", "Tom has 7 pens.\n#### 7", "7"),
        new Problem("c", "Lily has 21 cups and gets 21 more cups. How many cups?",
            "Lily has 21 + 21 = <<21+21=42>>42 cups.\n#### 42", "42"));
    Gsm8k.write(dir.resolve("train.jsonl"), problems);
    Gsm8k.write(dir.resolve("test.jsonl"), problems);
    DatasetSpec data = new DatasetSpec(DatasetSpec.GSM8K, dir, "train", true);
    ExpertIteration.Result result = new ExpertIteration(EiFixtures.spec(policy, data,
        temp.resolve("ei"), 1, 3, 0, new EiFineTuning(0, true, true))).run(line -> { });
    ExpertIteration.Round round = result.rounds().get(0);
    assertEquals(2, round.datasetSize(), "a and c sampled correctly");
    assertEquals(4, round.fineTuneExamples(), "D_1 plus the references of b and c");
    assertEquals(3, round.fineTuneSteps(), "fixed steps");
  }

  @Test
  void roundsSampleFilterUnionFineTuneAndCountRollouts() throws Exception {
    Path policy = EiFixtures.scriptedPolicy(temp.resolve("policy"));
    DatasetSpec data = EiFixtures.problems(temp.resolve("data"));
    Path out = temp.resolve("ei");
    ExpertIteration.Result result =
        new ExpertIteration(EiFixtures.spec(policy, data, out, 2, 4)).run(line -> { });

    // By hand: the policy always writes "#### 42"; questions a and c are 42, b is 7.
    assertEquals(2.0 / 3, result.initial().maj1(), 1e-9);
    ExpertIteration.Round first = result.rounds().get(0);
    assertEquals(9, first.rollouts());
    assertEquals(9, first.cumulativeRollouts());
    assertEquals(6, first.accepted());
    assertEquals(2, first.kept());
    assertEquals(2, first.newDistinct());
    assertEquals(2, first.datasetSize());
    assertEquals(2, first.questionsCovered());
    assertEquals(2, first.fineTuneExamples());
    assertEquals(4, first.fineTuneSteps());
    ExpertIteration.Round second = result.rounds().get(1);
    assertEquals(18, second.cumulativeRollouts());
    assertEquals(2, second.kept());
    assertEquals(0, second.newDistinct());
    assertEquals(2, second.datasetSize());
    assertEquals(2.0 / 3, second.eval().maj1(), 1e-9);

    List<SolutionFilter.Solution> d2 =
        SolutionFilter.readDataset(out.resolve("round-2").resolve(ExpertIteration.DATASET_FILE));
    assertEquals(List.of("a", "c"), d2.stream().map(SolutionFilter.Solution::problemId).toList());
    assertTrue(d2.stream().allMatch(s -> s.text().equals(EiFixtures.SOLUTION)));
    // The control: the same 4 steps on the 3 reference solutions, once (every round restarts).
    assertEquals(1, result.controls().size());
    assertEquals(4, result.controls().get(0).fineTuneSteps());
    assertEquals(3, result.controls().get(0).referenceSolutions());
    assertEquals(3, Files.readAllLines(out.resolve(ExpertIteration.HISTORY_FILE)).size());
    assertTrue(Files.isRegularFile(out.resolve("round-2/model").resolve(Checkpoint.CONFIG)));

    // A rerun finds every round done and returns the same records.
    ExpertIteration.Result again =
        new ExpertIteration(EiFixtures.spec(policy, data, out, 2, 4)).run(line -> { });
    assertEquals(result.rounds(), again.rounds());
    assertArrayEquals(Files.readAllBytes(out.resolve("round-2/model/" + Checkpoint.WEIGHTS)),
        Files.readAllBytes(result.finalModel().resolve(Checkpoint.WEIGHTS)), "published model");
    // A changed spec on the finished output is refused, naming the field.
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> new ExpertIteration(EiFixtures.spec(policy, data, out, 3, 4)).run(line -> { }));
    assertEquals(List.of("spec.rounds: 2 → 3"), refused.differences());

    // rounds=0 trains the control alone: the same record and weights as the run's control.
    Path controlOnly = temp.resolve("control-only");
    ExpertIteration.Result alone =
        new ExpertIteration(EiFixtures.spec(policy, data, controlOnly, 0, 4)).run(line -> { });
    assertEquals(List.of(), alone.rounds());
    assertEquals(result.controls(), alone.controls());
    assertEquals(controlOnly.resolve("model"), alone.finalModel());
    assertArrayEquals(Files.readAllBytes(alone.finalModel().resolve(Checkpoint.WEIGHTS)),
        Files.readAllBytes(controlOnly.resolve("control-1/model/" + Checkpoint.WEIGHTS)));
    assertArrayEquals(Files.readAllBytes(out.resolve("control-1/model/" + Checkpoint.WEIGHTS)),
        Files.readAllBytes(controlOnly.resolve("control-1/model/" + Checkpoint.WEIGHTS)));
  }

  @Test
  void badInputFailsClearlyAndWritesNothing() throws Exception {
    Path policy = EiFixtures.scriptedPolicy(temp.resolve("policy"));
    DatasetSpec data = EiFixtures.problems(temp.resolve("data"));
    Path out = temp.resolve("out");
    Exception missing = assertThrows(RuntimeException.class, () -> new ExpertIteration(
        EiFixtures.spec(temp.resolve("missing"), data, out, 1, 2)).run(l -> { }));
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    assertFalse(Files.exists(out));
    Exception k = assertThrows(IllegalArgumentException.class, () -> new EiSpec(policy, data,
        null, out, 1, 0, RolloutSpec.of(0, 1.0, 8, 8), false, null, 0.5,
        new Optimization(1, 1, 1, 1e-3, 0, 0, 1, 1, 1), null, false, 0, RolloutSpec.of(1, 1.0, 8, 8),
        0, 1));
    assertTrue(k.getMessage().contains("K"), k.getMessage());
    Exception noData = assertThrows(IllegalArgumentException.class, () -> new ExpertIteration(
        EiFixtures.spec(policy, new DatasetSpec("gsm8k", temp.resolve("none"), "train", true),
            out, 1, 2)).run(l -> { }));
    assertTrue(noData.getMessage().contains("does not exist"), noData.getMessage());
    assertFalse(Files.exists(out));
    try (RunDirectory held = RunDirectory.open(out)) {
      assertThrows(RunDirectoryLockedException.class, () -> new ExpertIteration(
          EiFixtures.spec(policy, data, out, 1, 2)).run(l -> { }));
      assertFalse(Files.exists(out.resolve(ExpertIteration.INITIAL_FILE)));
    }
  }

  @Test
  void fewShotSamplingPutsTheFirstReferenceSolutionsBeforeEachQuestion() {
    List<Problem> references = List.of(
        new Problem("a", "Mia has 3 apples. How many?", "Mia has 3.\n#### 3", "3"),
        new Problem("b", "Tom has 5 pens. How many?", "Tom has 5.\n#### 5", "5"));
    assertEquals("Question: Q\nAnswer:",
        ExpertIteration.samplingFormat(0, references).prompt("Q"));
    assertEquals("Question: Mia has 3 apples. How many?\nAnswer: Mia has 3.\n#### 3\n\n"
        + "Question: Q\nAnswer:", ExpertIteration.samplingFormat(1, references).prompt("Q"));
    assertThrows(IllegalArgumentException.class,
        () -> ExpertIteration.samplingFormat(3, references));
  }
}
