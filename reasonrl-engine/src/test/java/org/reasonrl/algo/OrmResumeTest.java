package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * Kills an ORM run with SIGKILL mid-training, reruns it, and checks that it ends exactly where an
 * uninterrupted run with the same seed does: the samples are reused (not redrawn), and the loss
 * curve, the held-out metrics and the ORM's weights are bit-for-bit the same.
 */
class OrmResumeTest {

  private static final long STEPS = 30;
  private static final long SEED = 11;

  @TempDir
  static Path temp;

  @BeforeAll
  static void fixture() throws Exception {
    OrmFixtures.write(temp, 16);
  }

  @Test
  void killedRunResumesToTheSameOrmAsAnUninterruptedRun() throws Exception {
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    String straightLog = runToCompletion(straight);
    assertTrue(straightLog.contains("samplesReused=false"), straightLog);

    Process victim = fork(interrupted, 250, temp.resolve("victim.log")).start();
    try {
      waitForCheckpoint(interrupted, 10, victim);
    } finally {
      victim.destroyForcibly();
      assertTrue(victim.waitFor(1, TimeUnit.MINUTES));
    }
    long killedAt = RunDirectory.checkpointStep(latest(interrupted));
    assertTrue(killedAt >= 10 && killedAt < STEPS, "killed at checkpoint " + killedAt);
    assertFalse(Files.exists(interrupted.resolve(RunDirectory.RESULT_FILE)), "victim finished");
    assertTrue(Files.exists(interrupted.resolve(OrmTraining.SAMPLES_FILE)));
    long samplesModified = Files.getLastModifiedTime(
        interrupted.resolve(OrmTraining.SAMPLES_FILE)).toMillis();

    String resumedLog = runToCompletion(interrupted);
    assertTrue(resumedLog.contains("samplesReused=true"), resumedLog);
    assertTrue(resumedLog.contains("resumedFrom=" + killedAt), resumedLog);
    assertEquals(samplesModified, Files.getLastModifiedTime(
        interrupted.resolve(OrmTraining.SAMPLES_FILE)).toMillis(), "samples were redrawn");

    assertEquals(-1, Files.mismatch(straight.resolve(OrmTraining.SAMPLES_FILE),
        interrupted.resolve(OrmTraining.SAMPLES_FILE)));
    List<String> expected = Files.readAllLines(straight.resolve(RunDirectory.METRICS_FILE));
    List<String> actual = Files.readAllLines(interrupted.resolve(RunDirectory.METRICS_FILE));
    assertEquals(STEPS / 5, expected.size());
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode e = Json.mapper().readTree(expected.get(i));
      JsonNode a = Json.mapper().readTree(actual.get(i));
      for (String field : List.of("step", "loss", "lr", "gradNorm")) {
        assertEquals(e.get(field).asDouble(), a.get(field).asDouble(), 0.0,
            "record " + (i + 1) + " " + field);
      }
    }
    JsonNode straightResult = result(straight);
    JsonNode resumedResult = result(interrupted);
    assertEquals(straightResult.get("trained"), resumedResult.get("trained"));
    assertEquals(straightResult.get("initial"), resumedResult.get("initial"));
    Path a = straight.resolve(OrmTraining.MODEL_DIR);
    Path b = interrupted.resolve(OrmTraining.MODEL_DIR);
    for (String file : List.of(Checkpoint.WEIGHTS, ScalarHead.REWARD_HEAD_FILE)) {
      assertEquals(-1, Files.mismatch(a.resolve(file), b.resolve(file)), file + " differs");
    }
  }

  private static JsonNode result(Path run) throws IOException {
    return Json.mapper().readTree(run.resolve(RunDirectory.RESULT_FILE).toFile());
  }

  private static ProcessBuilder fork(Path output, long sleepMillis, Path log) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", classpath,
        OrmTinyRun.class.getName(), temp.toString(), output.toString(), Long.toString(STEPS),
        Long.toString(SEED), Long.toString(sleepMillis))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
  }

  private static String runToCompletion(Path output) throws Exception {
    Path log = temp.resolve(output.getFileName() + "-" + System.nanoTime() + ".log");
    Process process = fork(output, 0, log).start();
    boolean finished = process.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "the ORM run did not finish:\n" + text);
    assertEquals(0, process.exitValue(), text);
    return text;
  }

  private static void waitForCheckpoint(Path run, long atLeast, Process process)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (Files.exists(run.resolve(RunDirectory.LATEST_FILE))
          && RunDirectory.checkpointStep(latest(run)) >= atLeast) {
        return;
      }
      assertTrue(process.isAlive(), "the ORM run exited before checkpoint " + atLeast);
      Thread.sleep(20);
    }
    throw new AssertionError("no checkpoint " + atLeast + " within 4 minutes");
  }

  private static Path latest(Path run) throws IOException {
    return run.resolve(Files.readString(run.resolve(RunDirectory.LATEST_FILE)).trim());
  }
}
