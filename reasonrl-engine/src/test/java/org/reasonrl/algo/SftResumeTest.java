package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;

/**
 * kill -9 during {@code sft}, then a rerun: the validation history (maj@1, pass@K, losses) and
 * the best model equal those of an uninterrupted run with the same seed, bit for bit.
 */
class SftResumeTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void killedSftResumesToTheSameValidationsAndBestModel() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 8);
    Path data = temp.resolve("data");
    SupervisedFixtures.easyDataset(data, 80, 4);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");

    ForkedGoals.runToCompletion(temp.resolve("straight.log"), SftFixture.class, base.toString(),
        data.toString(), straight.toString());
    ForkedGoals.killWhen(() -> hasCheckpoint(interrupted), temp.resolve("victim.log"),
        SftFixture.class, base.toString(), data.toString(), interrupted.toString());
    assertFalse(Files.exists(interrupted.resolve("result.json")), "the victim finished");
    String resumed = ForkedGoals.runToCompletion(temp.resolve("resumed.log"), SftFixture.class,
        base.toString(), data.toString(), interrupted.toString());
    assertTrue(resumed.contains("best step"), resumed);

    JsonNode expected = Json.mapper().readTree(straight.resolve(Sft.STATE_FILE).toFile());
    JsonNode actual = Json.mapper().readTree(interrupted.resolve(Sft.STATE_FILE).toFile());
    assertEquals(4, expected.get("validations").size(), expected.toString());
    assertEquals(expected, actual);
    double first = expected.at("/validations/0/validationLoss").asDouble();
    double last = expected.at("/validations/3/validationLoss").asDouble();
    assertTrue(last < 0.6 * first, "validation loss " + first + " -> " + last);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Map<String, Parameter> a = Checkpoint.load(straight.resolve(Sft.BEST_DIR), manager)
          .namedParameters();
      CausalLm b = Checkpoint.load(interrupted.resolve(Sft.BEST_DIR), manager);
      a.forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
          b.namedParameters().get(name).getArray().toFloatArray(), name));
    }
  }

  private static boolean hasCheckpoint(Path run) {
    try {
      Path latest = run.resolve(RunDirectory.LATEST_FILE);
      return Files.exists(latest) && RunDirectory.checkpointStep(
          run.resolve(Files.readString(latest).trim())) >= SftFixture.EVAL_EVERY;
    } catch (Exception notYet) {
      return false;
    }
  }
}
