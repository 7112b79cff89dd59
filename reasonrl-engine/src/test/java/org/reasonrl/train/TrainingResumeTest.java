package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Kills a training JVM with SIGKILL after a checkpoint, reruns it, and checks that the result is
 * bit-for-bit the same as an uninterrupted run with the same seed: parameters, and every
 * metrics record's step, loss, learning rate and gradient norm. (libtorch on CPU with one thread
 * is deterministic, and nothing else in the loop is random.)
 */
class TrainingResumeTest {

  private static final long STEPS = 30;
  private static final long SEED = 5;

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void killedRunResumesToTheSameEndAsAnUninterruptedRun() throws Exception {
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");

    String straightOutput = runToCompletion(straight);
    assertTrue(straightOutput.contains("resumedFrom=0"), straightOutput);

    Process victim = fork(interrupted, 150).start();
    long killedAt;
    try {
      waitForCheckpoint(interrupted, 10, victim);
      // A second run on the same directory fails at once, naming the holder.
      RunDirectoryLockedException locked = assertThrows(RunDirectoryLockedException.class,
          () -> RunDirectory.open(interrupted));
      assertTrue(locked.getMessage().contains(interrupted.toAbsolutePath().toString()),
          locked.getMessage());
      assertTrue(locked.getMessage().contains("(pid " + victim.pid() + ")"), locked.getMessage());
    } finally {
      victim.destroyForcibly();
      assertTrue(victim.waitFor(1, TimeUnit.MINUTES));
    }
    killedAt = RunDirectory.checkpointStep(latest(interrupted).orElseThrow());
    assertTrue(killedAt >= 10 && killedAt < STEPS, "killed at checkpoint " + killedAt);
    assertTrue(!Files.exists(interrupted.resolve("result.json")), "the victim finished");

    String resumedOutput = runToCompletion(interrupted);
    assertTrue(resumedOutput.contains("resumedFrom=" + killedAt), resumedOutput);

    List<JsonNode> expected = metrics(straight);
    List<JsonNode> actual = metrics(interrupted);
    assertEquals(STEPS, expected.size());
    assertEquals(STEPS, actual.size());
    for (int i = 0; i < STEPS; i++) {
      for (String field : List.of("step", "loss", "lr", "gradNorm")) {
        assertEquals(expected.get(i).get(field).asDouble(), actual.get(i).get(field).asDouble(),
            0.0, "record " + (i + 1) + " field " + field);
      }
    }
    double firstLoss = expected.get(0).get("loss").asDouble();
    double lastLoss = expected.get((int) STEPS - 1).get("loss").asDouble();
    assertTrue(lastLoss < 0.7 * firstLoss, "training did not learn: " + firstLoss + " → "
        + lastLoss);

    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDList a = readModel(manager, straight);
      NDList b = readModel(manager, interrupted);
      assertEquals(4, a.size());
      for (NDArray array : a) {
        NDArray other = b.get(array.getName());
        assertArrayEquals(array.toFloatArray(), other.toFloatArray(), array.getName());
      }
    }
  }

  private ProcessBuilder fork(Path runDir, long sleepMillis) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", classpath,
        TinyTraining.class.getName(), runDir.toString(), Long.toString(STEPS),
        Long.toString(SEED), Long.toString(sleepMillis))
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve(runDir.getFileName() + "-" + System.nanoTime() + ".log")
            .toFile());
  }

  private String runToCompletion(Path runDir) throws Exception {
    Path log = temp.resolve(runDir.getFileName() + "-" + System.nanoTime() + ".log");
    Process process = fork(runDir, 0).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "training did not finish:\n" + output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static void waitForCheckpoint(Path runDir, long atLeast, Process process)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      Optional<Path> latest = latest(runDir);
      if (latest.isPresent() && RunDirectory.checkpointStep(latest.get()) >= atLeast) {
        return;
      }
      assertTrue(process.isAlive(), "training exited before checkpoint " + atLeast);
      Thread.sleep(20);
    }
    throw new AssertionError("no checkpoint " + atLeast + " within 3 minutes");
  }

  private static Optional<Path> latest(Path runDir) throws IOException {
    Path pointer = runDir.resolve(RunDirectory.LATEST_FILE);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    return Optional.of(runDir.resolve(Files.readString(pointer).trim()));
  }

  private static List<JsonNode> metrics(Path runDir) throws IOException {
    List<JsonNode> records = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve(RunDirectory.METRICS_FILE))) {
      records.add(org.reasonrl.run.Json.mapper().readTree(line));
    }
    return records;
  }

  private static NDList readModel(NDManager manager, Path runDir) throws IOException {
    Path file = latest(runDir).orElseThrow().resolve(BlockParameters.FILE);
    assertEquals("checkpoint-" + STEPS, file.getParent().getFileName().toString());
    try (InputStream in = Files.newInputStream(file)) {
      return NDList.decode(manager, in);
    }
  }
}
