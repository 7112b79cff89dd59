package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.reward.OrmMetrics;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;

class OrmTrainingTest {

  private static final long STEPS = 40;

  @TempDir
  static Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    EngineRuntime.ensureStarted();
    OrmFixtures.write(dir, 16);
  }

  @Test
  void learnsTheLabelsAndWritesALoadableOrmAndARerunReusesEverything() throws IOException {
    Path out = dir.resolve("out");
    List<String> log = new ArrayList<>();
    OrmTraining.Report report =
        new OrmTraining(OrmFixtures.spec(dir, out, STEPS, 3, 10)).run(log::add);

    // Samples: K=4 per question, labels follow the written answer, split by question.
    List<JsonNode> samples = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(OrmTraining.SAMPLES_FILE))) {
      samples.add(Json.mapper().readTree(line));
    }
    assertEquals(16 * 4, samples.size());
    Set<String> trainQuestions = new HashSet<>();
    Set<String> heldOutQuestions = new HashSet<>();
    int correct = 0;
    for (JsonNode s : samples) {
      boolean wrote42 = s.get("completion").asText().contains("#### 42");
      assertEquals(wrote42, s.get("correct").asBoolean(), s.toString());
      correct += wrote42 ? 1 : 0;
      (s.get("heldOut").asBoolean() ? heldOutQuestions : trainQuestions)
          .add(s.get("problemId").asText());
    }
    assertTrue(correct > 10 && correct < 54, "labels are not mixed: " + correct + "/64");
    assertEquals(4, heldOutQuestions.size());
    assertTrue(java.util.Collections.disjoint(trainQuestions, heldOutQuestions));
    assertEquals(16, report.heldOutSamples());
    assertEquals(48, report.trainSamples());

    // Training lowered the held-out loss and learned to rank correct above incorrect. How far
    // the all-token BCE falls in 40 steps depends on the random initial weights: over spec seeds
    // 3-8 the ratio after/before was 0.56-0.99 (seed 3: 0.90), so only "it falls" is asserted.
    OrmMetrics before = report.initial().orm();
    OrmMetrics after = report.trained().orm();
    assertTrue(after.tokenBce() < before.tokenBce(), before + " -> " + after);
    assertTrue(after.auc() >= 0.9, "held-out AUC " + after.auc());
    // Within a question too: every held-out question has both answers here. (The final-token
    // Brier score is not what the all-token loss optimises; in 40 steps it may rise a little.)
    assertEquals(4, after.mixedQuestions());
    assertTrue(after.withinQuestionAuc() >= 0.9, "within-question AUC " + after.withinQuestionAuc());
    assertEquals(report.trained().ranking().passAtK().value(), 1.0 - fractionAllWrong(samples),
        1e-9);
    assertEquals(STEPS, report.training().steps());
    assertEquals(STEPS, Files.readAllLines(out.resolve(RunDirectory.METRICS_FILE)).size()
        * 5L);
    assertTrue(log.stream().anyMatch(l -> l.contains("trained: acc")), log.toString());

    // The output is an ORM: it loads, and its scores are the ones the report was built from.
    JsonNode result = Json.mapper().readTree(out.resolve(RunDirectory.RESULT_FILE).toFile());
    assertEquals(after.auc(), result.at("/trained/orm/auc").asDouble(), 1e-12);
    List<int[]> heldOutSequences = new ArrayList<>();
    List<Boolean> heldOutLabels = new ArrayList<>();
    for (JsonNode s : samples) {
      if (s.get("heldOut").asBoolean()) {
        heldOutSequences.add(concat(ints(s.get("promptTokens")), ints(s.get("tokens"))));
        heldOutLabels.add(s.get("correct").asBoolean());
      }
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      OutcomeRewardModel orm = OutcomeRewardModel.load(out.resolve(OrmTraining.MODEL_DIR),
          manager);
      double[] scores = orm.scoreFinal(heldOutSequences, 5, 0);
      boolean[] labels = new boolean[scores.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = heldOutLabels.get(i);
      }
      assertEquals(after.brier(), OrmMetrics.brier(scores, labels), 1e-6);
    }

    // A rerun of the finished run returns its result: no sampling, no training, same numbers.
    List<String> rerunLog = new ArrayList<>();
    OrmTraining.Report rerun =
        new OrmTraining(OrmFixtures.spec(dir, out, STEPS, 3, 10)).run(rerunLog::add);
    assertEquals(report.trained(), rerun.trained());
    assertEquals(report.training(), rerun.training());
    assertTrue(rerunLog.stream().anyMatch(l -> l.startsWith("orm already finished")),
        rerunLog.toString());

    // Other settings on the same directory are refused, naming the field, not mixed in.
    SpecMismatchException other = assertThrows(SpecMismatchException.class,
        () -> new OrmTraining(OrmFixtures.spec(dir, out, STEPS + 1, 3, 10)).run(l -> { }));
    assertEquals(List.of("spec.optimization.steps: " + STEPS + " → " + (STEPS + 1)),
        other.differences());
  }

  @Test
  void denseRewardsAreScoreChangesThatSumToTheFinalScore() throws IOException {
    assertArrayEquals(new double[] {0.5, -0.1, 0.5},
        OutcomeRewardModel.stepDifferences(new double[] {0.2, 0.5, 0.4, 0.9}, new int[] {2, 3,
            4}), 1e-12);
    assertArrayEquals(new int[] {2, 5}, OutcomeRewardModel.stepEnds(new int[] {1, 9, 2, 3, 9},
        9));
    assertArrayEquals(new int[] {2, 4}, OutcomeRewardModel.stepEnds(new int[] {1, 9, 2, 3}, 9));
    assertThrows(IllegalArgumentException.class,
        () -> OutcomeRewardModel.stepDifferences(new double[] {0.1, 0.2}, new int[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> OutcomeRewardModel.stepDifferences(new double[] {0.1, 0.2}, new int[] {1, 1, 2}));

    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"))) {
      CausalLm policy = Checkpoint.load(dir.resolve("policy"), manager);
      OutcomeRewardModel orm = new OutcomeRewardModel(policy,
          org.reasonrl.model.ScalarHead.create(policy.config().hiddenSize(), manager,
              SeedStream.of(9, "head")));
      int[] prompt = org.reasonrl.data.PromptFormat.encodePrompt(tokenizer,
          "Question: Tom has 7 pens. How many pens?\nAnswer:");
      int[] solution = tokenizer.encode(" Tom has 7 pens.\n#### 7");
      int newline = tokenizer.encode("\n")[0];
      int[] ends = OutcomeRewardModel.stepEnds(solution, newline);
      assertEquals(2, ends.length);
      double[] rewards = orm.stepRewards(prompt, solution, ends, 0);
      double total = 0;
      for (double r : rewards) {
        total += r;
      }
      double finalScore = orm.scoreFinal(List.of(concat(prompt, solution)), 1, 0)[0];
      assertEquals(finalScore, total, 1e-6);
      double[] perToken = orm.scoreTokens(List.of(concat(prompt, solution)), 1, 0).get(0);
      assertEquals(perToken[prompt.length + ends[0] - 1], rewards[0], 1e-6);
    }
  }

  @Test
  void scoringRepeatsAndMixedLengthsTogetherMatchesScoringEachAlone() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm policy = Checkpoint.load(dir.resolve("policy"), manager);
      OutcomeRewardModel orm = new OutcomeRewardModel(policy,
          org.reasonrl.model.ScalarHead.create(policy.config().hiddenSize(), manager,
              SeedStream.of(5, "head")));
      java.util.Random random = new java.util.Random(3);
      List<int[]> sequences = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int[] sequence = new int[3 + random.nextInt(20)];
        for (int t = 0; t < sequence.length; t++) {
          sequence[t] = 1 + random.nextInt(policy.config().vocabSize() - 1);
        }
        sequences.add(sequence);
        if (i % 3 == 0) {
          sequences.add(sequence.clone());
        }
      }
      sequences.add(sequences.get(1).clone());
      List<double[]> together = orm.scoreTokens(sequences, 4, 0);
      assertEquals(sequences.size(), together.size());
      for (int i = 0; i < sequences.size(); i++) {
        double[] alone = orm.scoreTokens(List.of(sequences.get(i)), 1, 0).get(0);
        assertEquals(sequences.get(i).length, together.get(i).length);
        for (int t = 0; t < alone.length; t++) {
          assertEquals(alone[t], together.get(i)[t], 1e-5, "sequence " + i + " token " + t);
        }
      }
      together.get(0)[0] = -1;
      assertTrue(together.get(1)[0] >= 0, "repeats get their own arrays");
    }
  }

  @Test
  void badInputFailsClearlyWithoutOutput() throws IOException {
    Path out = dir.resolve("never-written");
    OrmSpec good = OrmFixtures.spec(dir, out, 2, 1, 1);
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
        () -> withK(good, 0));
    assertTrue(k.getMessage().contains("K"), k.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new DatasetSpec("mathqa", dir, "train", true));

    CheckpointException missing = assertThrows(CheckpointException.class,
        () -> new OrmTraining(withPolicy(good, dir.resolve("no-such-policy"))).run(l -> { }));
    assertTrue(missing.getMessage().contains("no-such-policy"), missing.getMessage());

    // A checkpoint whose vocabulary is smaller than its tokenizer's.
    Path small = dir.resolve("small-policy");
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = CausalLm.create(LlamaConfig.of(8, 8, 1, 2, 2, 8, 64, false))
          .initializeRandom(manager, SeedStream.of(1, "init"));
      Checkpoint.save(model, small, dir.resolve("tokenizer.json"));
    }
    CheckpointException mismatched = assertThrows(CheckpointException.class,
        () -> new OrmTraining(withPolicy(good, small)).run(l -> { }));
    assertTrue(mismatched.getMessage().contains("vocab_size"), mismatched.getMessage());

    Path empty = dir.resolve("empty-data");
    Files.createDirectories(empty);
    Files.writeString(empty.resolve("train.jsonl"), "");
    IllegalArgumentException noProblems = assertThrows(IllegalArgumentException.class,
        () -> new OrmTraining(withDataset(good, new DatasetSpec("gsm8k", empty, "train", true)))
            .run(l -> { }));
    assertTrue(noProblems.getMessage().contains("no problems"), noProblems.getMessage());
    assertFalse(Files.exists(out));

    Path busy = dir.resolve("busy");
    try (RunDirectory holder = RunDirectory.open(busy)) {
      assertThrows(RunDirectoryLockedException.class,
          () -> new OrmTraining(OrmFixtures.spec(dir, busy, 2, 1, 1)).run(l -> { }));
    }
    assertFalse(Files.exists(busy.resolve(OrmTraining.SAMPLES_FILE)));
    assertFalse(Files.exists(busy.resolve(OrmTraining.SPEC_FILE)));
  }

  private static double fractionAllWrong(List<JsonNode> samples) {
    java.util.Map<String, Boolean> anyCorrect = new java.util.HashMap<>();
    for (JsonNode s : samples) {
      if (s.get("heldOut").asBoolean()) {
        anyCorrect.merge(s.get("problemId").asText(), s.get("correct").asBoolean(),
            Boolean::logicalOr);
      }
    }
    return anyCorrect.values().stream().filter(b -> !b).count() / (double) anyCorrect.size();
  }

  private static OrmSpec withK(OrmSpec s, int k) {
    RolloutSpec r = s.rollout();
    return new OrmSpec(s.policyCheckpoint(), s.dataset(), s.maxProblems(),
        new RolloutSpec(k, r.temperature(), r.topP(), r.maxNewTokens(), r.batchSize()),
        s.heldOutShare(), s.optimization(), s.balanceClasses(), s.seed(), s.output());
  }

  private static OrmSpec withPolicy(OrmSpec s, Path policy) {
    return new OrmSpec(policy, s.dataset(), s.maxProblems(), s.rollout(), s.heldOutShare(),
        s.optimization(), s.balanceClasses(), s.seed(), s.output());
  }

  private static OrmSpec withDataset(OrmSpec s, DatasetSpec dataset) {
    return new OrmSpec(s.policyCheckpoint(), dataset, s.maxProblems(), s.rollout(),
        s.heldOutShare(), s.optimization(), s.balanceClasses(), s.seed(), s.output());
  }


  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
