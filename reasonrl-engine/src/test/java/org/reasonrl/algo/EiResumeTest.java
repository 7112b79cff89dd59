package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * kill -9 during Expert Iteration's round-1 fine-tune, then its rerun during round 2's, then a
 * rerun to the end: {@code result.json} and {@code ei.jsonl} (but for times and the output
 * path), each round's kept dataset and the final weights equal an uninterrupted run's, bit for
 * bit.
 */
class EiResumeTest {

  @TempDir
  Path temp;

  @Test
  void killedEiResumesToTheSameRoundsDatasetsAndModel() throws Exception {
    Path policy = EiFixtures.scriptedPolicy(temp.resolve("policy"));
    Path data = temp.resolve("data");
    EiFixtures.problems(data);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    String[] args = {policy.toString(), data.toString(), interrupted.toString()};
    ForkedGoals.Background uninterrupted = ForkedGoals.start(temp.resolve("straight.log"),
        EiFixture.class, policy.toString(), data.toString(), straight.toString());
    List<String> killPoints = new ArrayList<>();

    // Round 1's data kept, its fine-tune checkpointed, not finished.
    ForkedGoals.killWhen(() -> Files.exists(interrupted.resolve("round-1/latest")),
        temp.resolve("victim-1.log"), EiFixture.class, args);
    assertFalse(Files.exists(interrupted.resolve("round-1").resolve(ExpertIteration.ROUND_FILE)));
    killPoints.add("round 1 fine-tune");
    // The rerun resumes round 1 and is killed inside round 2's fine-tune.
    ForkedGoals.killWhen(() -> Files.exists(interrupted.resolve("round-2/latest")),
        temp.resolve("victim-2.log"), EiFixture.class, args);
    assertTrue(Files.exists(interrupted.resolve("round-1").resolve(ExpertIteration.ROUND_FILE)));
    assertFalse(Files.exists(interrupted.resolve("round-2").resolve(ExpertIteration.ROUND_FILE)));
    killPoints.add("round 2 fine-tune");
    ForkedGoals.runToCompletion(temp.resolve("resumed.log"), EiFixture.class, args);
    uninterrupted.await();
    System.out.println("ei kill points tried: " + killPoints.size() + " " + killPoints);

    assertEquals(withoutTimes(straight), withoutTimes(interrupted));
    assertEquals(result(straight), result(interrupted));
    for (String round : List.of("round-1", "round-2")) {
      assertEquals(-1, Files.mismatch(straight.resolve(round).resolve(ExpertIteration.DATASET_FILE),
          interrupted.resolve(round).resolve(ExpertIteration.DATASET_FILE)), round + " dataset");
    }
    assertEquals(-1, Files.mismatch(
        straight.resolve(ExpertIteration.MODEL_DIR).resolve(Checkpoint.WEIGHTS),
        interrupted.resolve(ExpertIteration.MODEL_DIR).resolve(Checkpoint.WEIGHTS)),
        "final weights differ");
  }

  /** result.json without the output path and the rounds' times. */
  private static JsonNode result(Path run) throws Exception {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(
        run.resolve(RunDirectory.RESULT_FILE).toFile());
    node.remove("finalModel");
    for (JsonNode round : node.get("rounds")) {
      ((ObjectNode) round).remove("seconds");
    }
    assertEquals(2, node.get("rounds").size());
    return node;
  }

  private static List<JsonNode> withoutTimes(Path run) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(ExpertIteration.HISTORY_FILE))) {
      ObjectNode node = (ObjectNode) Json.mapper().readTree(line);
      node.remove("seconds");
      out.add(node);
    }
    assertEquals(3, out.size());
    return out;
  }
}
