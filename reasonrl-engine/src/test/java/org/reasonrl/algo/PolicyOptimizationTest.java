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
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.job.SpecMismatchException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LoraConfig;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.train.Optimization;

class PolicyOptimizationTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  private record Toy(Path checkpoint, DatasetSpec data) {}

  private Toy toy() throws Exception {
    return new Toy(SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 3),
        SupervisedFixtures.easyDataset(temp.resolve("data"), 40, 8));
  }

  private static List<JsonNode> metrics(Path output) {
    try (RunDirectory run = RunDirectory.open(output)) {
      return run.readMetrics();
    }
  }

  private static double stat(JsonNode record, String name) {
    JsonNode value = record.path("stats").path(name);
    assertTrue(value.isNumber(), name + " missing in " + record);
    return value.asDouble();
  }

  /**
   * Each method learns the toy task (write even token ids): the mean reward of the last three
   * iterations is well above the first's, the KL to the reference is exactly 0 on the first
   * batch (policy = reference, same forward) and stays bounded.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gae", "grpo", "dr-grpo", "rloo", "reinforce++"})
  void everyMethodRaisesTheToyRewardWithABoundedKl(String advantage) throws Exception {
    Toy toy = toy();
    int iterations = 20;
    Path output = temp.resolve(advantage);
    PpoSpec spec = PpoFixtures.spec(toy.checkpoint(), toy.data(), output, advantage, iterations,
        5e-3);
    PolicyOptimization.Result result = new PolicyOptimization(spec, PpoFixtures.evenTokens())
        .run(line -> { });
    assertEquals(iterations, result.iterations());
    assertEquals(iterations * 8L * 4, result.rollouts());
    List<JsonNode> records = metrics(output);
    assertEquals(iterations, records.size());
    assertEquals(0.0, stat(records.get(0), "kl/reference"), "KL at the first batch");
    double first = stat(records.get(0), "reward/mean");
    double last = 0;
    for (int i = iterations - 3; i < iterations; i++) {
      last += stat(records.get(i), "reward/mean") / 3;
      assertTrue(Math.abs(stat(records.get(i), "kl/reference")) < 1.0,
          "KL per token " + stat(records.get(i), "kl/reference"));
    }
    assertTrue(last > first + 0.15, advantage + ": reward " + first + " → " + last);
    for (String name : List.of("policy/clipFraction", "policy/approxKl", "entropy",
        "response/length", "time/generation", "time/forward", "time/reward")) {
      stat(records.get(1), name);
    }
    assertEquals(advantage.equals("gae"), records.get(1).path("stats").has("value/loss"));
    assertEquals(advantage.equals("gae"),
        records.get(1).path("stats").has("value/explainedVariance"));
    System.out.printf(java.util.Locale.ROOT, "%s: reward %.3f -> %.3f (last 3), KL %.4f%n",
        advantage, first, last, stat(records.get(iterations - 1), "kl/reference"));
    assertTrue(Files.isRegularFile(result.finalModel().resolve("config.json")));
    assertTrue(Files.isRegularFile(output.resolve(PolicyOptimization.CURVE_FILE)));
  }

  @Test
  void aSeparateCriticIsCheckpointedBesideThePolicy() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("separate");
    PpoSpec spec = PpoFixtures.withLoss(PpoFixtures.spec(toy.checkpoint(), toy.data(), output,
        "gae", 2, 3e-3), new PpoSpec.PolicyLoss(1, 0.2, 0.2, "", "separate", 0.2, 0.5, 0.0, 1.0,
        0.95, false));
    new PolicyOptimization(spec, PpoFixtures.evenTokens()).run(line -> { });
    Path checkpoint = output.resolve("checkpoint-2");
    assertTrue(Files.isRegularFile(checkpoint.resolve(ScalarHead.VALUE_HEAD_FILE)));
    assertTrue(Files.isRegularFile(checkpoint.resolve("critic/config.json")));
    assertTrue(Files.isRegularFile(checkpoint.resolve(PolicyOptimization.KL_STATE_FILE)));
  }

  /**
   * With LoRA the reference is the policy with its adapters bypassed: zero-initialised B makes
   * the first batch's KL exactly 0 without a second model; the adapters then move the policy,
   * the base stays frozen, and the published model is the merged one.
   */
  @Test
  void loraTrainsAdaptersAgainstTheBypassedBase() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("lora");
    PpoSpec plain = PpoFixtures.spec(toy.checkpoint(), toy.data(), output, "grpo", 3, 1e-2);
    PpoSpec spec = new PpoSpec(plain.checkpoint(), plain.dataset(), 0, output, "grpo",
        plain.reward(), null, 0, 3, 8, plain.rollout(), plain.loss(), plain.kl(),
        plain.optimization(), 0, plain.evalDataset(), 4, plain.eval(),
        new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj")), 5);
    PolicyOptimization.Result result = new PolicyOptimization(spec, PpoFixtures.evenTokens())
        .run(line -> { });
    List<JsonNode> records = metrics(output);
    assertEquals(0.0, stat(records.get(0), "kl/reference"));
    assertTrue(stat(records.get(2), "kl/reference") != 0, records.get(2).toString());
    Path last = output.resolve("checkpoint-3");
    assertTrue(Files.isRegularFile(last.resolve("adapter/adapter_model.safetensors")));
    assertFalse(Files.exists(last.resolve("model.safetensors")));
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Map<String, Parameter> base = Checkpoint.load(toy.checkpoint(), manager).namedParameters();
      Map<String, Parameter> published = Checkpoint.load(result.finalModel(), manager)
          .namedParameters();
      assertEquals(base.keySet(), published.keySet());
      for (String name : base.keySet()) {
        boolean adapted = name.endsWith("q_proj.weight") || name.endsWith("v_proj.weight");
        boolean same = java.util.Arrays.equals(base.get(name).getArray().toFloatArray(),
            published.get(name).getArray().toFloatArray());
        assertEquals(!adapted, same, name);
      }
    }
  }

  @Test
  void klAsALossTermIsReportedWhileTheBatchKlStartsAtZero() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("kl-loss");
    PpoSpec spec = PpoFixtures.withKl(PpoFixtures.spec(toy.checkpoint(), toy.data(), output,
        "grpo", 2, 3e-3), new PpoSpec.KlPenalty("k3", 0.1, "loss", 0, 10_000, 0));
    new PolicyOptimization(spec, PpoFixtures.evenTokens()).run(line -> { });
    List<JsonNode> records = metrics(output);
    assertEquals(0.0, stat(records.get(0), "kl/reference"));
    // Iteration 1's updates move the policy away from the reference: iteration 2 pays for it.
    assertTrue(stat(records.get(1), "kl/loss") > 0);
  }

  @Test
  void aKlAboveMaxKlStopsTheRunKeepingItsCheckpoint() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("max-kl");
    PpoSpec spec = PpoFixtures.withKl(PpoFixtures.spec(toy.checkpoint(), toy.data(), output,
        "grpo", 5, 1e-2), new PpoSpec.KlPenalty("k2", 0.05, "reward", 0, 10_000, 1e-9));
    PolicyOptimization.Result result = new PolicyOptimization(spec, PpoFixtures.evenTokens())
        .run(line -> { });
    // Iteration 1 samples from the reference itself (KL 0); iteration 2 from the updated policy.
    assertTrue(result.stopped());
    assertEquals(2, result.iterations());
    assertEquals(2, metrics(output).size());
    assertTrue(Files.isRegularFile(output.resolve("checkpoint-2/model.safetensors")));
    assertEquals(result.finalModel(), new PolicyOptimization(spec, PpoFixtures.evenTokens())
        .run(line -> { }).finalModel());
  }

  @Test
  void aChangedSpecOnAFinishedOutputIsRefusedNamingTheField() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("changed");
    PpoSpec spec = PpoFixtures.spec(toy.checkpoint(), toy.data(), output, "rloo", 1, 3e-3);
    new PolicyOptimization(spec, PpoFixtures.evenTokens()).run(line -> { });
    byte[] record = Files.readAllBytes(output.resolve("run.json"));
    PpoSpec changed = PpoFixtures.spec(toy.checkpoint(), toy.data(), output, "rloo", 1, 1e-3);
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> new PolicyOptimization(changed, PpoFixtures.evenTokens()).run(line -> { }));
    assertEquals(List.of("spec.optimization.learningRate: 0.003 → 0.001"),
        refused.differences());
    assertArrayEquals(record, Files.readAllBytes(output.resolve("run.json")));
    // The same spec returns the finished result.
    assertEquals(1, new PolicyOptimization(spec, PpoFixtures.evenTokens()).run(line -> { })
        .iterations());
  }

  /** Each bad value fails before any work, naming the parameter, and writes nothing. */
  @Test
  void badParametersFailBeforeAnyWorkNamingTheParameter() throws Exception {
    Toy toy = toy();
    Path output = temp.resolve("bad");
    PpoSpec good = PpoFixtures.spec(toy.checkpoint(), toy.data(), output, "gae", 1, 3e-3);
    PpoSpec.PolicyLoss loss = good.loss();
    List<Function<PpoSpec, PpoSpec>> cases = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    cases.add(s -> withReward(s, "sparse-ish"));
    expected.add("reward");
    cases.add(s -> withReward(s, "orm-dense"));
    expected.add("no ORM checkpoint");
    cases.add(s -> withAdvantage(s, "ppo2"));
    expected.add("advantage");
    cases.add(s -> withRollout(withAdvantage(s, "grpo"), RolloutSpec.of(1, 1.0, 8, 32)));
    expected.add("k must be >= 2");
    cases.add(s -> PpoFixtures.withLoss(s, new PpoSpec.PolicyLoss(2, 0.0, 0.2, "", "shared",
        0.2, 0.5, 0.0, 1.0, 0.95, false)));
    expected.add("clip");
    cases.add(s -> PpoFixtures.withLoss(s, new PpoSpec.PolicyLoss(2, 0.2, 0.2, "", "shared",
        0.2, 0.5, 0.0, 1.5, 0.95, false)));
    expected.add("gamma");
    cases.add(s -> PpoFixtures.withLoss(s, new PpoSpec.PolicyLoss(2, 0.2, 0.2, "", "shared",
        0.2, 0.5, 0.0, 1.0, -0.1, false)));
    expected.add("lambda");
    cases.add(s -> PpoFixtures.withLoss(s, new PpoSpec.PolicyLoss(2, 0.2, 0.2, "", "twin",
        0.2, 0.5, 0.0, 1.0, 0.95, false)));
    expected.add("critic");
    cases.add(s -> PpoFixtures.withKl(s, new PpoSpec.KlPenalty("k4", 0.05, "reward", 0, 1, 0)));
    expected.add("klEstimator");
    cases.add(s -> withRollout(s, new RolloutSpec(4, 1.0, 0.9, 8, 32)));
    expected.add("topP");
    cases.add(s -> new PpoSpec(s.checkpoint(), s.dataset(), 0, s.output(), s.advantage(),
        "sparse", null, -1, 1, 8, s.rollout(), s.loss(), s.kl(), s.optimization(), 0,
        s.evalDataset(), 4, s.eval(), null, 5));
    expected.add("malformedPenalty");
    for (int i = 0; i < cases.size(); i++) {
      PpoSpec bad = cases.get(i).apply(good);
      boolean custom = bad.reward().equals(PpoFixtures.EVEN_TOKENS);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> (custom ? new PolicyOptimization(bad, PpoFixtures.evenTokens())
              : new PolicyOptimization(bad)).run(line -> { }));
      assertTrue(e.getMessage().contains(expected.get(i)), "case " + i + ": " + e.getMessage());
      assertFalse(Files.exists(output), "case " + i + " wrote " + output);
    }
  }

  private static PpoSpec withReward(PpoSpec s, String reward) {
    return new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(), s.advantage(),
        reward, s.ormCheckpoint(), s.malformedPenalty(), s.iterations(),
        s.questionsPerIteration(), s.rollout(), s.loss(), s.kl(), s.optimization(), s.evalEvery(),
        s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed());
  }

  private static PpoSpec withAdvantage(PpoSpec s, String advantage) {
    return new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(), advantage,
        s.reward(), s.ormCheckpoint(), s.malformedPenalty(), s.iterations(),
        s.questionsPerIteration(), s.rollout(), s.loss(), s.kl(), s.optimization(), s.evalEvery(),
        s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed());
  }

  private static PpoSpec withRollout(PpoSpec s, RolloutSpec rollout) {
    return new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(), s.advantage(),
        s.reward(), s.ormCheckpoint(), s.malformedPenalty(), s.iterations(),
        s.questionsPerIteration(), rollout, s.loss(), s.kl(), s.optimization(), s.evalEvery(),
        s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed());
  }

  /** The spec pins the schedule to one step per iteration, logged every iteration. */
  @Test
  void theOptimizationStepsAreTheIterations() throws Exception {
    PpoSpec spec = PpoFixtures.spec(temp.resolve("c"), DatasetSpec.synthetic("train"),
        temp.resolve("o"), "gae", 7, 1e-3);
    Optimization o = spec.optimization();
    assertEquals(7, o.steps());
    assertEquals(1, o.logEvery());
  }
}
