package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.train.RolloutIterations;

/**
 * Kills a forked PPO run (critic, adaptive KL) with SIGKILL once iteration 2's buffer is on
 * disk, reruns it, and checks it ends with the weights and records of an uninterrupted run.
 */
class PpoResumeTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void killedPpoResumesToTheSameWeightsAndRecords() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 4);
    Path data = temp.resolve("data");
    SupervisedFixtures.easyDataset(data, 40, 8);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");

    ForkedGoals.runToCompletion(temp.resolve("straight.log"), PpoFixture.class, base.toString(),
        data.toString(), straight.toString(), "gae");
    ForkedGoals.killWhen(
        () -> Files.isDirectory(interrupted.resolve(RolloutIterations.BUFFER_PREFIX + 2)),
        temp.resolve("victim.log"), PpoFixture.class, base.toString(), data.toString(),
        interrupted.toString(), "gae");
    assertFalse(Files.exists(interrupted.resolve(RunDirectory.RESULT_FILE)), "the victim finished");
    String resumed = ForkedGoals.runToCompletion(temp.resolve("resumed.log"), PpoFixture.class,
        base.toString(), data.toString(), interrupted.toString(), "gae");
    assertTrue(resumed.contains("iterations " + PpoFixture.ITERATIONS), resumed);

    List<JsonNode> expected = metrics(straight);
    List<JsonNode> actual = metrics(interrupted);
    assertEquals(PpoFixture.ITERATIONS, expected.size());
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(withoutTimes(expected.get(i)), withoutTimes(actual.get(i)), "record " + i);
    }
    // The adaptive controller moved β, and the resumed run followed it.
    assertNotEquals(expected.get(0).at("/stats/kl~1coefficient").asDouble(),
        expected.get(PpoFixture.ITERATIONS - 1).at("/stats/kl~1coefficient").asDouble());
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Map<String, Parameter> a = Checkpoint.load(straight.resolve("model"), manager)
          .namedParameters();
      CausalLm b = Checkpoint.load(interrupted.resolve("model"), manager);
      a.forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
          b.namedParameters().get(name).getArray().toFloatArray(), name));
    }
    String last = "checkpoint-" + PpoFixture.ITERATIONS;
    assertArrayEquals(Files.readAllBytes(straight.resolve(last).resolve("value_head.safetensors")),
        Files.readAllBytes(interrupted.resolve(last).resolve("value_head.safetensors")));
  }

  private static JsonNode withoutTimes(JsonNode record) {
    ObjectNode copy = record.deepCopy();
    copy.remove(List.of("tokensPerSecond", "bufferSeconds", "updateSeconds", "elapsedSeconds"));
    ObjectNode stats = (ObjectNode) copy.get("stats");
    Iterator<String> names = stats.fieldNames();
    List<String> times = new ArrayList<>();
    names.forEachRemaining(name -> {
      if (name.startsWith("time/")) {
        times.add(name);
      }
    });
    stats.remove(times);
    return copy;
  }

  private static List<JsonNode> metrics(Path run) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(RunDirectory.METRICS_FILE))) {
      records.add(Json.mapper().readTree(line));
    }
    return records;
  }
}
