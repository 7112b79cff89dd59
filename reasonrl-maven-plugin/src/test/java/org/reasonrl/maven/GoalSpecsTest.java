package org.reasonrl.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.algo.EiSpec;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.OrmSpec;
import org.reasonrl.algo.PpoSpec;
import org.reasonrl.algo.RcrlSpec;
import org.reasonrl.algo.PretrainSpec;
import org.reasonrl.algo.SftSpec;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.model.LoraConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * What each goal hands the engine, configured as Maven configures it (descriptor defaults, then
 * the user's values). No engine is started: building a spec is plain Java.
 */
class GoalSpecsTest {

  @TempDir
  Path target;

  private Path checkpoint() {
    return target.resolve("sft/best");
  }

  private Map<String, Object> withCheckpoint() {
    return Map.of("checkpoint", checkpoint().toFile());
  }

  private Path output(String goal) {
    return target.resolve("reasonrl").resolve(goal);
  }

  @Test
  void aGoalWithOnlyItsRequiredParametersRunsItsEngineDefaults() {
    assertEquals(PretrainSpec.defaults(output("pretrain")),
        ConfiguredMojos.configure(PretrainMojo.class, target, Map.of()).spec());
    assertEquals(SftSpec.defaults(checkpoint(), output("sft")),
        ConfiguredMojos.configure(SftMojo.class, target, withCheckpoint()).spec());
    assertEquals(EiSpec.defaults(checkpoint(), output("ei")),
        ConfiguredMojos.configure(EiMojo.class, target, withCheckpoint()).spec());
    assertEquals(OrmSpec.defaults(checkpoint(), DatasetSpec.synthetic("train"), output("orm")),
        ConfiguredMojos.configure(OrmMojo.class, target, withCheckpoint()).spec());
    assertEquals(EvalSpec.defaults(checkpoint(), output("eval")),
        ConfiguredMojos.configure(EvalMojo.class, target, withCheckpoint()).spec());
    assertEquals(PpoSpec.defaults(checkpoint(), output("ppo")),
        ConfiguredMojos.configure(PpoMojo.class, target, withCheckpoint()).spec());
    assertEquals(RcrlSpec.defaults(checkpoint(), output("rcrl")),
        ConfiguredMojos.configure(RcrlMojo.class, target, withCheckpoint()).spec());
  }

  @Test
  void theSharedSamplingParametersReachEveryGoalsSpec() {
    Map<String, Object> sampling = Map.of("checkpoint", checkpoint().toFile(), "k", "3",
        "temperature", "1.1", "maxNewTokens", "50", "samplingBatch", "7");
    SftSpec sft = ConfiguredMojos.configure(SftMojo.class, target, sampling).spec();
    assertEquals(new RolloutSpec(3, 1.1, 1.0, 50, 7), sft.validation());
    EiSpec ei = ConfiguredMojos.configure(EiMojo.class, target, sampling).spec();
    assertEquals(new RolloutSpec(3, 1.1, 1.0, 50, 7), ei.rollout());
    assertEquals(List.of(50, 7), List.of(ei.eval().maxNewTokens(), ei.eval().batchSize()));
    OrmSpec orm = ConfiguredMojos.configure(OrmMojo.class, target, sampling).spec();
    assertEquals(new RolloutSpec(3, 1.1, 1.0, 50, 7), orm.rollout());
    EvalSpec eval = ConfiguredMojos.configure(EvalMojo.class, target, sampling).spec();
    assertEquals(List.of(3, 3, 1.1, 50, 7), List.of(eval.options().k(),
        eval.options().samples(), eval.options().temperature(), eval.options().maxNewTokens(),
        eval.options().batchSize()));
    PpoSpec ppo = ConfiguredMojos.configure(PpoMojo.class, target, sampling).spec();
    assertEquals(new RolloutSpec(3, 1.1, 1.0, 50, 7), ppo.rollout());
    assertEquals(List.of(50, 7), List.of(ppo.eval().maxNewTokens(), ppo.eval().batchSize()));
    RcrlSpec rcrl = ConfiguredMojos.configure(RcrlMojo.class, target, sampling).spec();
    assertEquals(new RolloutSpec(3, 1.1, 1.0, 50, 7), rcrl.rollout());
    assertEquals(List.of(50, 7), List.of(rcrl.eval().maxNewTokens(), rcrl.eval().batchSize()));
  }

  @Test
  void everyRcrlParameterLandsInItsSpec() {
    File orm = target.resolve("orm/model").toFile();
    RcrlSpec rcrl = ConfiguredMojos.configure(RcrlMojo.class, target, Map.of(
        "checkpoint", checkpoint().toFile(), "labels", "orm", "ormCheckpoint", orm,
        "threshold", "0.7", "continuations", "6", "maxQuestions", "100", "evalProblems", "50",
        "evalK", "6", "evalTemperature", "0.9")).spec();
    assertEquals(List.of("orm", orm.toPath(), 0.7, 6, 100, 50),
        List.of(rcrl.labels(), rcrl.ormCheckpoint(), rcrl.threshold(), rcrl.continuations(),
            rcrl.maxQuestions(), rcrl.evalProblems()));
    assertEquals(List.of(6, 0.9), List.of(rcrl.eval().k(), rcrl.eval().temperature()));
    File labeller = target.resolve("ei/model").toFile();
    assertEquals(labeller.toPath(), ConfiguredMojos.configure(RcrlMojo.class, target, Map.of(
        "checkpoint", checkpoint().toFile(), "labelPolicy", labeller)).spec().labelPolicy());
    EvalSpec eval = ConfiguredMojos.configure(EvalMojo.class, target, Map.of(
        "checkpoint", checkpoint().toFile(), "stepCondition", "[GOOD]")).spec();
    assertEquals("[GOOD]", eval.stepCondition());
  }

  @Test
  void everyPpoParameterLandsInItsSpec() {
    File orm = target.resolve("orm/model").toFile();
    Map<String, Object> values = new HashMap<>(Map.ofEntries(
        Map.entry("checkpoint", checkpoint().toFile()), Map.entry("advantage", "grpo"),
        Map.entry("reward", "orm-dense"), Map.entry("ormCheckpoint", orm),
        Map.entry("malformedPenalty", "0.5"), Map.entry("iterations", "12"),
        Map.entry("questionsPerIteration", "8"), Map.entry("maxQuestions", "100"),
        Map.entry("epochs", "2"), Map.entry("clip", "0.1"), Map.entry("clipHigh", "0.28"),
        Map.entry("lossAggregation", "seq-sum-norm"), Map.entry("critic", "separate"),
        Map.entry("valueClip", "0.3"), Map.entry("valueCoefficient", "0.25"),
        Map.entry("entropyCoefficient", "0.01"), Map.entry("gamma", "0.99"),
        Map.entry("lambda", "0.9"), Map.entry("dynamicSampling", "true"),
        Map.entry("klEstimator", "k3"), Map.entry("klCoefficient", "0.02")));
    values.putAll(Map.of("klPlacement", "loss", "klTarget", "0.5", "klHorizon", "500",
        "maxKl", "2", "evalEvery", "3", "evalProblems", "50", "evalK", "6",
        "evalTemperature", "0.9", "evalDataset", "svamp",
        "evalDatasetPath", target.resolve("SVAMP.json").toFile()));
    PpoSpec ppo = ConfiguredMojos.configure(PpoMojo.class, target, values).spec();
    assertEquals(List.of("grpo", "orm-dense", orm.toPath(), 0.5, 12, 8, 100),
        List.of(ppo.advantage(), ppo.reward(), ppo.ormCheckpoint(), ppo.malformedPenalty(),
            ppo.iterations(), ppo.questionsPerIteration(), ppo.maxQuestions()));
    assertEquals(new PpoSpec.PolicyLoss(2, 0.1, 0.28, "seq-sum-norm", "separate", 0.3, 0.25,
        0.01, 0.99, 0.9, true), ppo.loss());
    assertEquals(new PpoSpec.KlPenalty("k3", 0.02, "loss", 0.5, 500, 2), ppo.kl());
    assertEquals(List.of(3, 50), List.of(ppo.evalEvery(), ppo.evalProblems()));
    assertEquals(List.of(6, 0.9), List.of(ppo.eval().k(), ppo.eval().temperature()));
    assertEquals(new DatasetSpec("svamp", target.resolve("SVAMP.json"), "test", true),
        ppo.evalDataset());
  }

  @Test
  void ppoLoraIsOffUnlessARankIsSet() {
    assertEquals(null, ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile())).spec().lora());
    PpoSpec lora = ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "loraRank", "4",
            "loraTargets", "q_proj, k_proj,v_proj")).spec();
    assertEquals(new LoraConfig(4, 8, 0, List.of("q_proj", "k_proj", "v_proj")), lora.lora());
  }

  @Test
  void ppoClipSetsBothBoundsUnlessClipHighIsSet() {
    PpoSpec both = ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "clip", "0.1")).spec();
    assertEquals(List.of(0.1, 0.1), List.of(both.loss().clipLow(), both.loss().clipHigh()));
    PpoSpec higher = ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "clipHigh", "0.28")).spec();
    assertEquals(List.of(0.2, 0.28), List.of(higher.loss().clipLow(), higher.loss().clipHigh()));
  }

  @Test
  void ppoStepsAreItsIterationsAndTheBatchIsTheMinibatch() {
    PpoMojo mojo = ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "iterations", "100", "warmupSteps", "50",
            "batchSize", "16", "learningRate", "3e-6"));
    PpoSpec ppo = mojo.spec();
    Optimization d = PpoSpec.defaults(checkpoint(), output("ppo")).optimization();
    // The warm-up is counted against the 100 iterations, not lowered to the default 40.
    assertEquals(new Optimization(100, 16, 16, 3e-6, 50, d.weightDecay(), d.maxGradNorm(), 1, 1),
        ppo.optimization());
    assertEquals(List.of(), mojo.inapplicableParameters(ppo));
    PpoMojo withSteps = ConfiguredMojos.configure(PpoMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "steps", "7", "logEvery", "5"));
    PpoSpec stepped = withSteps.spec();
    assertEquals(List.of(40L, 1), List.of(stepped.optimization().steps(),
        stepped.optimization().logEvery()));
    assertEquals(List.of("steps", "logEvery"), withSteps.inapplicableParameters(stepped));
  }

  @Test
  void sftStillReadsItsFormerPassK() {
    SftSpec former = ConfiguredMojos.configure(SftMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "passK", "2")).spec();
    assertEquals(2, former.validation().k());
    SftSpec both = ConfiguredMojos.configure(SftMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "passK", "2", "k", "6")).spec();
    assertEquals(6, both.validation().k());
  }

  @Test
  void aShortRunKeepsTheDefaultsValid() {
    // sft's defaults are 3000 steps of 32 with micro-batches of 32 and 100 warm-up steps: a
    // 20-step run of 8 trains micro-batches of 8 and warms up over all 20 steps.
    SftSpec sft = ConfiguredMojos.configure(SftMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "steps", "20", "batchSize", "8")).spec();
    Optimization d = SftSpec.defaults(checkpoint(), output("sft")).optimization();
    assertEquals(new Optimization(20, 8, 8, d.learningRate(), 20, d.weightDecay(),
        d.maxGradNorm(), d.logEvery(), d.checkpointEvery()), sft.optimization());
    // orm takes the same parameters from the same family (it used to default them itself).
    OrmSpec orm = ConfiguredMojos.configure(OrmMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "steps", "6", "batchSize", "8",
            "learningRate", "0.003")).spec();
    Optimization o = orm.optimization();
    assertEquals(List.of(6L, 8, 8, 0.003, 6L), List.of(o.steps(), o.batchSize(),
        o.microBatchSize(), o.learningRate(), o.warmupSteps()));
  }

  @Test
  void datasetParametersAreSharedAndEiEvaluatesWhatWasNamed() {
    File gsm = target.resolve("gsm8k").toFile();
    EiSpec ei = ConfiguredMojos.configure(EiMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "dataset", "gsm8k", "datasetPath", gsm,
            "failOnBadRecord", "false")).spec();
    assertEquals(new DatasetSpec("gsm8k", gsm.toPath(), "train", false), ei.dataset());
    assertEquals(new DatasetSpec("gsm8k", gsm.toPath(), "test", false), ei.evalDataset());
    // Every goal that reads a dataset honours failOnBadRecord (the errors of all of them advise it).
    Map<String, Object> skipping = Map.of("checkpoint", checkpoint().toFile(), "dataset",
        "gsm8k", "datasetPath", gsm, "failOnBadRecord", "false");
    DatasetSpec lenient = new DatasetSpec("gsm8k", gsm.toPath(), "train", false);
    assertEquals(lenient, ConfiguredMojos.configure(SftMojo.class, target, skipping).spec()
        .dataset());
    assertEquals(lenient, ConfiguredMojos.configure(OrmMojo.class, target, skipping).spec()
        .dataset());
    PpoSpec ppo = ConfiguredMojos.configure(PpoMojo.class, target, skipping).spec();
    assertEquals(List.of(lenient, lenient.withSplit("test")),
        List.of(ppo.dataset(), ppo.evalDataset()));
    assertEquals(lenient.withSplit("test"), ConfiguredMojos.configure(EvalMojo.class, target,
        skipping).spec().dataset());
    File svamp = target.resolve("SVAMP.json").toFile();
    EiSpec other = ConfiguredMojos.configure(EiMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "dataset", "gsm8k", "datasetPath", gsm,
            "evalDataset", "svamp", "evalDatasetPath", svamp)).spec();
    assertEquals(new DatasetSpec("svamp", svamp.toPath(), "test", true), other.evalDataset());
    EvalSpec eval = ConfiguredMojos.configure(EvalMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "dataset", "gsm8k", "datasetPath", gsm,
            "split", "train")).spec();
    assertEquals(new DatasetSpec("gsm8k", gsm.toPath(), "train", true), eval.dataset());
  }

  /** A bad value is refused when the goal builds its spec, before any work, by its own name. */
  @Test
  void badValuesAreRefusedUpFrontUnderTheUsersParameterNames() {
    IllegalArgumentException topP = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredMojos.configure(EvalMojo.class, target, Map.of("checkpoint",
            checkpoint().toFile(), "topP", "0")).spec());
    assertEquals("topP must be in (0, 1] but was 0.0", topP.getMessage());
    for (Class<? extends AbstractSamplingMojo> goal : List.of(EvalMojo.class, SftMojo.class)) {
      IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
          () -> spec(ConfiguredMojos.configure(goal, target, Map.of("checkpoint",
              checkpoint().toFile(), "samplingBatch", "0"))));
      assertTrue(rows.getMessage().startsWith("samplingBatch"), rows.getMessage());
    }
    IllegalArgumentException micro = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredMojos.configure(SftMojo.class, target, Map.of("checkpoint",
            checkpoint().toFile(), "batchSize", "16", "microBatchSize", "32")).spec());
    assertEquals("microBatchSize (32) must be <= batchSize (16)", micro.getMessage());
    IllegalArgumentException overDefault = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredMojos.configure(OrmMojo.class, target, Map.of("checkpoint",
            checkpoint().toFile(), "microBatchSize", "1000")).spec());
    assertTrue(overDefault.getMessage().contains("the goal's default"), overDefault.getMessage());
  }

  private static Object spec(AbstractSamplingMojo mojo) {
    return mojo instanceof EvalMojo eval ? eval.spec() : ((SftMojo) mojo).spec();
  }

  @Test
  void anOutputSetByTheUserWins() {
    File mine = target.resolve("elsewhere").toFile();
    EvalSpec eval = ConfiguredMojos.configure(EvalMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "output", mine)).spec();
    assertEquals(mine.toPath(), eval.output());
  }
}
