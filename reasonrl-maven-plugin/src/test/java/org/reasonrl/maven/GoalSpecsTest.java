package org.reasonrl.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.algo.EiSpec;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.OrmSpec;
import org.reasonrl.algo.PretrainSpec;
import org.reasonrl.algo.SftSpec;
import org.reasonrl.data.DatasetSpec;
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

  @Test
  void anOutputSetByTheUserWins() {
    File mine = target.resolve("elsewhere").toFile();
    EvalSpec eval = ConfiguredMojos.configure(EvalMojo.class, target,
        Map.of("checkpoint", checkpoint().toFile(), "output", mine)).spec();
    assertEquals(mine.toPath(), eval.output());
  }
}
