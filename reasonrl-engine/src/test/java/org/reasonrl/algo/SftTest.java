package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Gsm8k;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmarkV2;
import org.reasonrl.data.SyntheticFiles;
import org.reasonrl.data.SyntheticV2Options;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.run.Json;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

class SftTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void fineTuningMemorisesEightProblemsAndKeepsTheBestValidatedModel() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 3);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 12, 4);
    SftSpec spec = new SftSpec(base, data, temp.resolve("sft"), 0, 4,
        new Optimization(150, 8, 8, 1e-2, 10, 0.0, 1.0, 10, 1000), 75, 0,
        RolloutSpec.of(2, 1.0, 40, 64), 11);
    Sft.Result result = new Sft(spec).run(line -> { });

    List<Sft.Validation> validations = result.validations();
    assertEquals(List.of(0L, 75L, 150L), validations.stream().map(Sft.Validation::step).toList());
    assertEquals(8, result.trainProblems());
    assertEquals(4, result.validationProblems());
    Sft.Validation best = validations.stream()
        .reduce((a, b) -> b.maj1() > a.maj1() ? b : a).orElseThrow();
    assertEquals(best.step(), result.bestStep());
    assertTrue(Files.isRegularFile(result.best().resolve(Checkpoint.WEIGHTS)));
    // Eight problems are memorised: the held-out loss first falls, then overfitting sets in.
    assertTrue(validations.get(1).validationLoss() < validations.get(0).validationLoss(),
        validations.toString());
    assertEquals(3, Files.readAllLines(temp.resolve("sft").resolve(Sft.VALIDATION_FILE)).size());

    // The last checkpoint writes the 8 training solutions greedily, word for word.
    List<Problem> problems = Datasets.load(data).problems();
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(base.resolve(Checkpoint.TOKENIZER))) {
      CausalLm model = Checkpoint.load(temp.resolve("sft").resolve("checkpoint-150"), manager);
      List<Problem> train = Sft.split(problems, 4, 11, "x").train();
      double trainMaj1 = new Evaluator(model, tokenizer, PromptFormat.zeroShot(), null)
          .evaluate(train, EvalOptions.of(1, 1.0, 40, 64, 1), line -> { }).result().maj1()
          .value();
      assertEquals(1.0, trainMaj1, "greedy accuracy on the 8 training problems");
    }
  }

  @Test
  void earlyStoppingEndsAfterPatienceValidationsWithoutImprovement() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 5);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 30, 4);
    // A learning rate this small cannot move a random model's greedy accuracy off zero.
    SftSpec spec = new SftSpec(base, data, temp.resolve("sft"), 0, 4,
        new Optimization(40, 4, 4, 1e-6, 0, 0.0, 1.0, 5, 1000), 5, 2,
        RolloutSpec.of(1, 1.0, 20, 64), 11);
    Sft.Result result = new Sft(spec).run(line -> { });
    assertTrue(result.stoppedEarly());
    assertEquals(0.0, result.bestMaj1());
    assertEquals(0, result.bestStep());
    assertEquals(List.of(0L, 5L, 10L),
        result.validations().stream().map(Sft.Validation::step).toList());
    // A rerun of a finished run returns its result without training.
    Sft.Result again = new Sft(spec).run(line -> { });
    assertEquals(result.validations(), again.validations());
    // The best model is published as the run's model.
    assertArrayEquals(Files.readAllBytes(result.best().resolve(Checkpoint.WEIGHTS)),
        Files.readAllBytes(result.model().resolve(Checkpoint.WEIGHTS)));
    // A changed spec (another base model, another learning rate) is refused, naming the fields;
    // it neither continues the old run nor rewrites its record.
    Path otherBase = SupervisedFixtures.tinyCheckpoint(temp.resolve("other-base"), 6);
    SftSpec changed = new SftSpec(otherBase, data, temp.resolve("sft"), 0, 4,
        new Optimization(40, 4, 4, 2e-6, 0, 0.0, 1.0, 5, 1000), 5, 2,
        RolloutSpec.of(1, 1.0, 20, 64), 11);
    byte[] record = Files.readAllBytes(temp.resolve("sft/run.json"));
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> new Sft(changed).run(line -> { }));
    assertEquals(2, refused.differences().size(), refused.differences().toString());
    assertTrue(refused.differences().get(0).startsWith("spec.checkpoint: "),
        refused.differences().toString());
    assertEquals("spec.optimization.learningRate: 1.0E-6 → 2.0E-6",
        refused.differences().get(1));
    assertArrayEquals(record, Files.readAllBytes(temp.resolve("sft/run.json")));
  }

  /**
   * Provenance never lies: a rerun on a finished or an interrupted run whose base checkpoint was
   * rewritten in place, or with another batch size, is refused naming what differs; it neither
   * returns nor continues the old run, and {@code run.json} keeps what really ran.
   */
  @Test
  void aRerunWithAnotherBaseOrBatchSizeIsRefusedFinishedOrInterrupted() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 5);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 20, 4);
    Path out = temp.resolve("sft");
    SftSpec spec = SupervisedFixtures.tinySft(base, data, out, 5, 5, 0);
    new Sft(spec).run(line -> { });
    byte[] record = Files.readAllBytes(out.resolve("run.json"));

    SftSpec otherBatch = new SftSpec(base, data, out, 0, 4,
        new Optimization(5, 4, 4, 3e-3, 5, 0.0, 1.0, 5, 1000), 5, 0, spec.validation(),
        spec.seed());
    SpecMismatchException batch = assertThrows(SpecMismatchException.class,
        () -> new Sft(otherBatch).run(line -> { }));
    assertTrue(batch.differences().contains("spec.optimization.batchSize: 8 → 4"),
        batch.differences().toString());

    SupervisedFixtures.tinyCheckpoint(base, 6); // another base model at the same path
    SpecMismatchException finished = assertThrows(SpecMismatchException.class,
        () -> new Sft(spec).run(line -> { }));
    assertTrue(finished.differences().get(0).startsWith("spec.checkpoint: "
        + base.resolve(Checkpoint.WEIGHTS) + " changed"), finished.differences().toString());
    asIfKilledAfterTheLastCheckpoint(out);
    assertThrows(SpecMismatchException.class, () -> new Sft(spec).run(line -> { }));
    assertArrayEquals(record, Files.readAllBytes(out.resolve("run.json")));
  }

  /**
   * A resumed run says where it resumed; the step-0 validation has no training loss yet, written
   * as null (not the string "NaN").
   */
  @Test
  void aResumedRunSaysWhereAndStepZeroHasNoTrainLoss() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 5);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 20, 4);
    Path out = temp.resolve("sft");
    SftSpec spec = SupervisedFixtures.tinySft(base, data, out, 4, 2, 0);
    new Sft(spec).run(line -> { });
    JsonNode first = Json.mapper().readTree(Files.readAllLines(out.resolve(Sft.VALIDATION_FILE))
        .get(0));
    assertTrue(first.get("trainLoss").isNull(), first.toString());
    assertTrue(Json.mapper().readTree(Files.readAllLines(out.resolve(Sft.VALIDATION_FILE))
        .get(1)).get("trainLoss").isNumber());

    asIfKilledAfterTheLastCheckpoint(out);
    List<String> log = new ArrayList<>();
    new Sft(spec).run(log::add);
    assertTrue(log.stream().anyMatch(l -> l.startsWith("SFT resumed from step 4 (")),
        log.toString());
  }

  /** A finished run made to look killed after its last checkpoint: no result, not finished. */
  private static void asIfKilledAfterTheLastCheckpoint(Path out) throws Exception {
    Files.delete(out.resolve("result.json"));
    ObjectNode state = (ObjectNode) Json.mapper().readTree(out.resolve(Sft.STATE_FILE).toFile());
    Files.writeString(out.resolve(Sft.STATE_FILE), state.put("finished", false).toString());
  }

  /** A dataset with its own validation split (synthetic-v2) validates on it; train is all train. */
  @Test
  void aDatasetsOwnValidationSplitIsUsedInsteadOfCarvingOne() throws Exception {
    Path dir = temp.resolve("v2");
    SyntheticFiles.write(new SyntheticBenchmarkV2(SyntheticV2Options.defaults()
        .withSizes(30, 6, 4)), dir);
    DatasetSpec train = new DatasetSpec(DatasetSpec.SYNTHETIC_V2, dir, "train", true);
    SftSpec spec = SupervisedFixtures.tinySft(temp.resolve("base"), train, temp.resolve("out"),
        10, 5, 0);
    Sft.Data data = Sft.prepareData(spec);
    assertEquals(Datasets.load(train).problems(), data.train());
    // tinySft validates on 4 problems: the first 4 of the split.
    assertEquals(Datasets.load(train.withSplit("validation")).problems().subList(0, 4),
        data.validation());
    // Without one, the validation problems are carved from train.
    Sft.Data carved = Sft.prepareData(SupervisedFixtures.tinySft(temp.resolve("base"),
        SupervisedFixtures.easyDataset(temp.resolve("v1"), 30, 4), temp.resolve("out"), 10, 5,
        0));
    assertEquals(List.of(26, 4), List.of(carved.train().size(), carved.validation().size()));
  }

  /** An over-long training record is a bad record, not dropped silently. */
  @Test
  void anOverLongRecordIsNamedOrSkippedAndCounted() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 6);
    Path dir = Files.createDirectories(temp.resolve("gsm"));
    List<Problem> problems = new ArrayList<>(Datasets.load(
        SupervisedFixtures.easyDataset(temp.resolve("data"), 12, 4)).problems());
    problems.add(3, new Problem("long", "Mia has 4 apples. " + "She buys 2 more apples. "
        .repeat(60) + "How many apples?", "Mia has 124 apples.\n#### 124", "124"));
    Gsm8k.write(dir.resolve("train.jsonl"), problems);
    Path out = temp.resolve("out");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new Sft(
        SupervisedFixtures.tinySft(base, new DatasetSpec("gsm8k", dir, "train", true), out, 5,
            5, 0)).run(l -> { }));
    assertTrue(bad.getMessage().startsWith("bad record in " + dir.resolve("train.jsonl")
        + " problem long: its question and reference solution are "), bad.getMessage());
    assertTrue(bad.getMessage().contains("failOnBadRecord=false"), bad.getMessage());
    assertFalse(Files.exists(out));

    Sft skipping = new Sft(SupervisedFixtures.tinySft(base, new DatasetSpec("gsm8k", dir,
        "train", false), out, 2, 2, 0));
    Sft.Result result = skipping.run(l -> { });
    assertEquals(1, result.droppedTooLong());
    assertEquals(12, result.trainProblems() + result.validationProblems());
  }

  @Test
  void badInputFailsClearlyAndWritesNothing() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 6);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 20, 4);
    Path out = temp.resolve("out");

    Exception missing = assertThrows(RuntimeException.class, () -> new Sft(
        SupervisedFixtures.tinySft(temp.resolve("nope"), data, out, 5, 5, 0)).run(l -> { }));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    assertFalse(Files.exists(out));

    Path emptyDir = Files.createDirectories(temp.resolve("empty"));
    Files.writeString(emptyDir.resolve("train.jsonl"), "");
    Exception empty = assertThrows(IllegalArgumentException.class, () -> new Sft(
        SupervisedFixtures.tinySft(base, new DatasetSpec("gsm8k", emptyDir, "train", true), out,
            5, 5, 0)).run(l -> { }));
    assertTrue(empty.getMessage().contains("no problems"), empty.getMessage());
    assertFalse(Files.exists(out));

    Exception k = assertThrows(IllegalArgumentException.class, () -> new SftSpec(base, data, out,
        0, 4, new Optimization(5, 4, 4, 1e-3, 0, 0, 1, 1, 1), 5, 0, RolloutSpec.of(0, 1.0, 20, 8),
        1));
    assertTrue(k.getMessage().contains("K"), k.getMessage());
    Exception unknown = assertThrows(IllegalArgumentException.class,
        () -> new DatasetSpec("mathqa", null, "train", true));
    assertTrue(unknown.getMessage().contains("unknown dataset 'mathqa'"), unknown.getMessage());

    try (RunDirectory held = RunDirectory.open(out)) {
      assertThrows(RunDirectoryLockedException.class, () -> new Sft(
          SupervisedFixtures.tinySft(base, data, out, 5, 5, 0)).run(l -> { }));
      assertFalse(Files.exists(out.resolve(Sft.STATE_FILE)));
    }
  }
}
