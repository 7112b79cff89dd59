package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir
  Path temp;

  @Test
  void secondOpenOfALockedDirectoryFailsNamingTheDirectoryAndPid() {
    Path dir = temp.resolve("run");
    try (RunDirectory first = RunDirectory.open(dir)) {
      RunDirectoryLockedException error =
          assertThrows(RunDirectoryLockedException.class, () -> RunDirectory.open(dir));
      assertTrue(error.getMessage().contains(dir.toAbsolutePath().toString()), error.getMessage());
      assertTrue(error.getMessage().contains("(pid " + ProcessHandle.current().pid() + ")"),
          error.getMessage());
    }
    try (RunDirectory again = RunDirectory.open(dir)) {
      assertEquals(dir.toAbsolutePath(), again.root());
    }
  }

  @Test
  void aRefusedOpenNamesTheHoldingGoalPidAndHostAndACleanCloseEmptiesTheLock()
      throws IOException {
    Path dir = temp.resolve("owned");
    long pid = ProcessHandle.current().pid();
    try (RunDirectory first = RunDirectory.open(dir, "sft")) {
      assertTrue(first.recoveredFrom().isEmpty());
      JsonNode holder = Json.mapper().readTree(
          Files.readString(dir.resolve(RunDirectory.LOCK_FILE), StandardCharsets.UTF_8));
      assertEquals("sft", holder.get("goal").asText());
      assertEquals(pid, holder.get("pid").asLong());
      assertEquals(LockHolder.localHost(), holder.get("host").asText());
      RunDirectoryLockedException error =
          assertThrows(RunDirectoryLockedException.class, () -> RunDirectory.open(dir, "eval"));
      assertTrue(error.getMessage().contains("is in use by goal sft (pid " + pid + ") on host "
          + LockHolder.localHost() + " since " + holder.get("since").asText()),
          error.getMessage());
    }
    assertEquals("", Files.readString(dir.resolve(RunDirectory.LOCK_FILE)),
        "a clean close leaves no holder named");
    try (RunDirectory again = RunDirectory.open(dir, "eval")) {
      assertTrue(again.recoveredFrom().isEmpty(), "nothing to recover after a clean close");
    }
  }

  @Test
  void aLockWhoseHolderDiedIsTakenOverNamingIt() throws IOException {
    // What a process killed while holding the directory leaves: its holder line in .lock (the
    // OS released the lock itself with the process). A bare pid is what older runs wrote.
    Path dir = Files.createDirectories(temp.resolve("killed"));
    Files.writeString(dir.resolve(RunDirectory.LOCK_FILE),
        "{\"goal\":\"orm\",\"pid\":4242,\"host\":\"runner-3\",\"since\":\"2026-01-02T03:04:05Z\"}\n");
    try (RunDirectory run = RunDirectory.open(dir, "orm")) {
      assertEquals(new LockHolder("orm", 4242, "runner-3", "2026-01-02T03:04:05Z"),
          run.recoveredFrom().orElseThrow());
      assertEquals("goal orm (pid 4242) on host runner-3 since 2026-01-02T03:04:05Z",
          run.recoveredFrom().orElseThrow().describe());
    }
    Files.writeString(dir.resolve(RunDirectory.LOCK_FILE), "4242");
    try (RunDirectory run = RunDirectory.open(dir)) {
      assertEquals("another running goal (pid 4242)",
          run.recoveredFrom().orElseThrow().describe());
    }
  }

  @Test
  void checkpointsReplaceEachOtherThroughTheLatestPointer() throws IOException {
    try (RunDirectory run = RunDirectory.open(temp)) {
      assertTrue(run.latestCheckpoint().isEmpty());
      Path first = run.writeCheckpoint(10, dir -> Files.writeString(dir.resolve("w"), "ten"));
      assertEquals(temp.resolve("checkpoint-10"), first);
      assertEquals(first, run.latestCheckpoint().orElseThrow());
      assertEquals(10, RunDirectory.checkpointStep(first));

      // A writer that fails leaves the previous checkpoint published and intact.
      java.io.UncheckedIOException failure = assertThrows(java.io.UncheckedIOException.class,
          () -> run.writeCheckpoint(20, dir -> {
            Files.writeString(dir.resolve("w"), "half");
            throw new IOException("disk full");
          }));
      assertEquals("disk full", failure.getCause().getMessage());
      assertFalse(Files.exists(temp.resolve("checkpoint-20.tmp")));
      assertEquals(first, run.latestCheckpoint().orElseThrow());
      assertEquals("ten", Files.readString(first.resolve("w")));

      Path second = run.writeCheckpoint(20, dir -> Files.writeString(dir.resolve("w"), "twenty"));
      assertEquals(second, run.latestCheckpoint().orElseThrow());
      assertFalse(Files.exists(first), "the older checkpoint is removed once the new is published");
      assertEquals(List.of("checkpoint-20", "latest"), listCheckpointFiles());
    }
  }

  @Test
  void reopeningRemovesCheckpointsLeftHalfWritten() throws IOException {
    try (RunDirectory run = RunDirectory.open(temp)) {
      run.writeCheckpoint(5, dir -> Files.writeString(dir.resolve("w"), "five"));
    }
    Path torn = Files.createDirectories(temp.resolve("checkpoint-10.tmp"));
    Files.writeString(torn.resolve("w"), "torn");
    try (RunDirectory run = RunDirectory.open(temp)) {
      assertFalse(Files.exists(torn));
      assertEquals(temp.resolve("checkpoint-5"), run.latestCheckpoint().orElseThrow());
    }
  }

  @Test
  void namedDirectoriesAreReplacedAtomicallyAndRestoredAfterAKill() throws IOException {
    try (RunDirectory run = RunDirectory.open(temp)) {
      run.writeDirectory("best", dir -> Files.writeString(dir.resolve("score"), "0.4"));
      run.writeDirectory("best", dir -> Files.writeString(dir.resolve("score"), "0.6"));
      assertEquals("0.6", Files.readString(temp.resolve("best/score")));
      assertFalse(Files.exists(temp.resolve("best.old")));
      assertThrows(IllegalArgumentException.class,
          () -> run.writeDirectory("checkpoint-3", dir -> { }));
    }
    // A kill between "best -> best.old" and "best.tmp -> best".
    Files.move(temp.resolve("best"), temp.resolve("best.old"));
    Files.createDirectories(temp.resolve("best.tmp"));
    try (RunDirectory run = RunDirectory.open(temp)) {
      assertEquals("0.6", Files.readString(temp.resolve("best/score")));
      assertFalse(Files.exists(temp.resolve("best.old")));
      assertFalse(Files.exists(temp.resolve("best.tmp")));
    }
  }

  @Test
  void metricsAppendAndTruncateAfterAResumedStep() throws IOException {
    try (RunDirectory run = RunDirectory.open(temp)) {
      for (int step = 1; step <= 4; step++) {
        run.appendMetrics(Map.of("step", step, "loss", 1.0 / step));
      }
      // A kill mid-write leaves a torn line.
      Files.writeString(temp.resolve(RunDirectory.METRICS_FILE), "{\"step\":5,\"lo",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
      run.truncateMetricsAfter(2);
      List<JsonNode> records = run.readMetrics();
      assertEquals(2, records.size());
      assertEquals(2, records.get(1).get("step").asInt());
      assertEquals(0.5, records.get(1).get("loss").asDouble());
      run.appendMetrics(Map.of("step", 3, "loss", 0.3));
      assertEquals("{\"loss\":1.0,\"step\":1}\n{\"loss\":0.5,\"step\":2}\n{\"loss\":0.3,\"step\":3}\n",
          Files.readString(temp.resolve(RunDirectory.METRICS_FILE)));
    }
  }

  @Test
  void atomicWritesLeaveNoTemporaryFiles() throws IOException {
    try (RunDirectory run = RunDirectory.open(temp)) {
      run.writeResult(Map.of("accuracy", 0.5));
      run.writeResult(Map.of("accuracy", 0.75));
      JsonNode result = Json.mapper().readTree(temp.resolve("result.json").toFile());
      assertEquals(0.75, result.get("accuracy").asDouble());
      try (Stream<Path> files = Files.list(temp)) {
        assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
      }
    }
  }

  private List<String> listCheckpointFiles() throws IOException {
    try (Stream<Path> files = Files.list(temp)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("checkpoint") || name.equals("latest"))
          .sorted().toList();
    }
  }
}
