package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * kill -9 during {@code pretrain} after its first checkpoint, then its rerun after a later one,
 * then a rerun to the end: the published weights are byte-identical to an uninterrupted run's,
 * and so are the logged losses.
 */
class PretrainResumeTest {

  @TempDir
  Path temp;

  @Test
  void killedPretrainResumesToTheSameWeights() throws Exception {
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    ForkedGoals.Background uninterrupted = ForkedGoals.start(temp.resolve("straight.log"),
        PretrainFixture.class, straight.toString());
    List<String> killPoints = new ArrayList<>();
    ForkedGoals.killWhen(() -> checkpointStep(interrupted) >= PretrainFixture.CHECKPOINT_EVERY,
        temp.resolve("victim-1.log"), PretrainFixture.class, interrupted.toString());
    long first = checkpointStep(interrupted);
    killPoints.add("training, after checkpoint " + first);
    ForkedGoals.killWhen(() -> checkpointStep(interrupted) >= 2 * PretrainFixture.CHECKPOINT_EVERY,
        temp.resolve("victim-2.log"), PretrainFixture.class, interrupted.toString());
    long second = checkpointStep(interrupted);
    killPoints.add("training, after checkpoint " + second);
    assertTrue(Files.readString(temp.resolve("victim-2.log")).contains("resum"),
        "the second run did not say it resumed");
    assertFalse(Files.exists(interrupted.resolve(RunDirectory.RESULT_FILE)), "the victim finished");
    assertTrue(second < PretrainFixture.STEPS, "killed too late: checkpoint " + second);
    String resumed = ForkedGoals.runToCompletion(temp.resolve("resumed.log"),
        PretrainFixture.class, interrupted.toString());
    assertTrue(resumed.contains("resumedFrom=" + second), resumed);
    uninterrupted.await();
    System.out.println("pretrain kill points tried: " + killPoints.size() + " " + killPoints);

    assertEquals(-1, Files.mismatch(straight.resolve(Pretrain.MODEL_DIR).resolve(Checkpoint.WEIGHTS),
        interrupted.resolve(Pretrain.MODEL_DIR).resolve(Checkpoint.WEIGHTS)), "weights differ");
    List<String> expected = Files.readAllLines(straight.resolve(RunDirectory.METRICS_FILE));
    List<String> actual = Files.readAllLines(interrupted.resolve(RunDirectory.METRICS_FILE));
    assertEquals(PretrainFixture.STEPS / 5, expected.size());
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode e = Json.mapper().readTree(expected.get(i));
      JsonNode a = Json.mapper().readTree(actual.get(i));
      for (String field : List.of("step", "loss", "lr", "gradNorm")) {
        assertEquals(e.get(field).asDouble(), a.get(field).asDouble(), 0.0,
            "record " + (i + 1) + " " + field);
      }
    }
    JsonNode e = Json.mapper().readTree(straight.resolve(RunDirectory.RESULT_FILE).toFile());
    JsonNode a = Json.mapper().readTree(interrupted.resolve(RunDirectory.RESULT_FILE).toFile());
    assertEquals(e.at("/training/finalLoss"), a.at("/training/finalLoss"));
    assertEquals(e.at("/training/tokens"), a.at("/training/tokens"));
  }

  private static long checkpointStep(Path run) {
    try {
      Path latest = run.resolve(RunDirectory.LATEST_FILE);
      return Files.exists(latest)
          ? RunDirectory.checkpointStep(run.resolve(Files.readString(latest).trim())) : -1;
    } catch (Exception notYet) {
      return -1;
    }
  }
}
