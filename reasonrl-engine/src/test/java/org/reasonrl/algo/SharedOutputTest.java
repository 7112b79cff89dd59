package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.job.JobRunner;
import org.reasonrl.run.Json;
import org.reasonrl.run.LockHolder;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Two goals on one output directory (issue #14, item 4): while an sft run in another JVM holds
 * it, an eval on the same directory is refused, naming the goal, pid and host that hold it, and
 * writes nothing there; once the sft process is killed with SIGKILL, a rerun takes over the lock
 * it left, says so, and finishes.
 */
class SharedOutputTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void aSecondGoalIsRefusedNamingTheOwnerAndAKilledOwnersLockIsTakenOver() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 8);
    Path data = temp.resolve("data");
    DatasetSpec dataset = SupervisedFixtures.easyDataset(data, 80, 4);
    Path shared = temp.resolve("shared");

    Process owner = ForkedGoals.fork(temp.resolve("owner.log"), SftFixture.class,
        base.toString(), data.toString(), shared.toString()).start();
    long ownerPid = owner.pid();
    try {
      JsonNode holder = awaitHolder(shared, owner);
      assertEquals("sft", holder.get("goal").asText());
      assertEquals(LockHolder.localHost(), holder.get("host").asText());

      EvalSpec second = new EvalSpec(base, dataset.withSplit("test"), 2, 0, null,
          new EvalOptions(1, 1, 1.0, 1.0, 4, 8, true, 1, 10), shared);
      RunDirectoryLockedException refused = assertThrows(RunDirectoryLockedException.class,
          () -> new Evaluation(second).run(line -> { }));
      assertTrue(JobRunner.isUserError(refused));
      String message = refused.getMessage();
      assertTrue(message.contains(shared.toAbsolutePath().toString()), message);
      assertTrue(message.contains("goal sft (pid " + ownerPid + ") on host "
          + LockHolder.localHost()), message);
      assertTrue(owner.isAlive(), "the owner ended while the second goal was refused:\n"
          + Files.readString(temp.resolve("owner.log"), StandardCharsets.UTF_8));
      assertFalse(Files.exists(shared.resolve(Evaluation.RESULT_FILE)));
      assertFalse(Files.exists(shared.resolve(Evaluation.SAMPLES_FILE)));
    } finally {
      owner.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the lock
      assertTrue(owner.waitFor(1, TimeUnit.MINUTES));
    }
    assertFalse(Files.exists(shared.resolve("result.json")), "the owner finished before the kill");
    assertTrue(Files.readString(shared.resolve(RunDirectory.LOCK_FILE), StandardCharsets.UTF_8)
        .contains("\"pid\":" + ownerPid), "the killed owner's holder line is left in .lock");

    String rerun = ForkedGoals.runToCompletion(temp.resolve("rerun.log"), SftFixture.class,
        base.toString(), data.toString(), shared.toString());
    assertTrue(rerun.contains("took over the lock of " + shared.toAbsolutePath() + " from goal"
        + " sft (pid " + ownerPid + ") on host " + LockHolder.localHost()), rerun);
    assertTrue(rerun.contains("best step"), rerun);
    assertTrue(Files.isRegularFile(shared.resolve("result.json")));
    JsonNode record = Json.mapper().readTree(shared.resolve(RunDirectory.RUN_RECORD_FILE)
        .toFile());
    assertEquals("finished", record.get("status").asText(), record.toString());
    assertEquals("", Files.readString(shared.resolve(RunDirectory.LOCK_FILE)),
        "the rerun closed cleanly");
  }

  /**
   * A second open refused in the JVM that holds the directory must not release that JVM's lock
   * (closing any descriptor of a file drops the process's POSIX locks on it): another process
   * is still refused, naming the holder here.
   */
  @Test
  void aRefusalInTheHoldingJvmKeepsTheDirectoryLockedForOtherProcesses() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 8);
    Path data = temp.resolve("data");
    SupervisedFixtures.easyDataset(data, 80, 4);
    Path shared = temp.resolve("held-here");
    long pid = ProcessHandle.current().pid();
    try (RunDirectory held = RunDirectory.open(shared, "report")) {
      RunDirectoryLockedException here = assertThrows(RunDirectoryLockedException.class,
          () -> RunDirectory.open(shared, "eval"));
      assertTrue(here.getMessage().contains("goal report (pid " + pid + ")"), here.getMessage());

      Process other = ForkedGoals.fork(temp.resolve("other.log"), SftFixture.class,
          base.toString(), data.toString(), shared.toString()).start();
      boolean ended = other.waitFor(3, TimeUnit.MINUTES);
      if (!ended) {
        other.destroyForcibly();
      }
      String output = Files.readString(temp.resolve("other.log"), StandardCharsets.UTF_8);
      assertTrue(ended, "the other process was not refused:\n" + output);
      assertTrue(other.exitValue() != 0, output);
      assertTrue(output.contains("is in use by goal report (pid " + pid + ") on host "
          + LockHolder.localHost()), output);
      assertFalse(Files.exists(shared.resolve(RunDirectory.RUN_RECORD_FILE)), output);
    }
  }

  /** The holder line the owner writes into {@code .lock} once it has the lock. */
  private static JsonNode awaitHolder(Path run, Process owner) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    Path lock = run.resolve(RunDirectory.LOCK_FILE);
    while (true) {
      assertTrue(owner.isAlive(), "the owner ended before it was seen holding " + run);
      assertTrue(System.nanoTime() < deadline, "no holder in " + lock + " within 3 minutes");
      if (Files.isRegularFile(lock)) {
        String text = Files.readString(lock, StandardCharsets.UTF_8).trim();
        if (text.endsWith("}")) {
          JsonNode holder = Json.mapper().readTree(text);
          if (holder.path("pid").asLong() == owner.pid()) {
            return holder;
          }
        }
      }
      Thread.sleep(20);
    }
  }
}
