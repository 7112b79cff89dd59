package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Kills a {@link ToyIterationsRun} JVM with SIGKILL during iteration 2's updates (its buffer on
 * disk, checkpoint 1 the newest), reruns it, and checks it reads that buffer instead of building
 * it again and ends with the weights and records of an uninterrupted run.
 */
class RolloutIterationsKillTest {

  private static final long ITERATIONS = 3;
  private static final long SEED = 13;

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void killedDuringTheUpdatesResumesFromThePersistedBufferToTheSameEnd() throws Exception {
    Path straight = temp.resolve("straight");
    Path killed = temp.resolve("killed");
    String straightOutput = runToCompletion(straight);
    assertTrue(straightOutput.contains("builds=3"), straightOutput);

    Process victim = fork(killed, 60, temp.resolve("victim.log")).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.isDirectory(killed.resolve(RolloutIterations.BUFFER_PREFIX + 2))) {
        assertTrue(victim.isAlive(), "the run ended before iteration 2's buffer:\n"
            + Files.readString(temp.resolve("victim.log"), StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() < deadline, "no buffer of iteration 2 within 3 minutes");
        Thread.sleep(10);
      }
      Thread.sleep(200); // a few of its twelve 60 ms micro-batches
    } finally {
      victim.destroyForcibly();
      assertTrue(victim.waitFor(1, TimeUnit.MINUTES));
    }
    assertEquals("checkpoint-1", Files.readString(killed.resolve(RunDirectory.LATEST_FILE))
        .trim(), "not killed during iteration 2");

    String resumedOutput = runToCompletion(killed);
    assertTrue(resumedOutput.contains("resumedFrom=1"), resumedOutput);
    assertTrue(resumedOutput.contains("builds=1"), "iteration 2's buffer was rebuilt:\n"
        + resumedOutput);

    List<JsonNode> expected = metrics(straight);
    List<JsonNode> actual = metrics(killed);
    assertEquals(ITERATIONS, expected.size());
    assertEquals(ITERATIONS, actual.size());
    for (int i = 0; i < ITERATIONS; i++) {
      assertEquals(withoutTimes(expected.get(i)), withoutTimes(actual.get(i)), "record " + i);
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDList a = finalModel(manager, straight);
      NDList b = finalModel(manager, killed);
      assertEquals(4, a.size());
      for (NDArray array : a) {
        assertArrayEquals(array.toFloatArray(), b.get(array.getName()).toFloatArray(),
            array.getName());
      }
    }
  }

  private ProcessBuilder fork(Path runDir, long sleepMillis, Path log) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", classpath,
        ToyIterationsRun.class.getName(), runDir.toString(), Long.toString(ITERATIONS),
        Long.toString(SEED), Long.toString(sleepMillis))
        .redirectErrorStream(true).redirectOutput(log.toFile());
  }

  private String runToCompletion(Path runDir) throws Exception {
    Path log = temp.resolve(runDir.getFileName() + "-" + System.nanoTime() + ".log");
    Process process = fork(runDir, 0, log).start();
    boolean finished = process.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "the run did not finish:\n" + output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static JsonNode withoutTimes(JsonNode record) {
    ObjectNode copy = record.deepCopy();
    copy.remove(List.of("tokensPerSecond", "bufferSeconds", "updateSeconds", "elapsedSeconds"));
    return copy;
  }

  private static List<JsonNode> metrics(Path runDir) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve(RunDirectory.METRICS_FILE))) {
      records.add(Json.mapper().readTree(line));
    }
    return records;
  }

  private static NDList finalModel(NDManager manager, Path runDir) throws IOException {
    Path checkpoint = runDir.resolve("checkpoint-" + ITERATIONS);
    assertEquals(checkpoint.getFileName().toString(),
        Files.readString(runDir.resolve(RunDirectory.LATEST_FILE)).trim());
    try (InputStream in = Files.newInputStream(checkpoint.resolve(BlockParameters.FILE))) {
      return NDList.decode(manager, in);
    }
  }
}
