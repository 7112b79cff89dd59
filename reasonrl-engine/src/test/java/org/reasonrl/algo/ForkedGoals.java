package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a goal's main in a forked JVM (one libtorch thread, so results are bit-for-bit
 * repeatable), to completion or until killed with SIGKILL.
 */
final class ForkedGoals {

  private ForkedGoals() {}

  static ProcessBuilder fork(Path log, Class<?> main, String... args) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx768m", "-cp", classpath,
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
  }

  static String runToCompletion(Path log, Class<?> main, String... args) throws Exception {
    Process process = fork(log, main, args).start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, main.getSimpleName() + " did not finish:\n" + output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  /**
   * Starts the goal in the background (e.g. the uninterrupted run beside a victim: each fork
   * uses one libtorch thread); {@link Background#await} waits for it to complete.
   */
  static Background start(Path log, Class<?> main, String... args) throws Exception {
    return new Background(fork(log, main, args).start(), log, main);
  }

  /** A goal running in the background. */
  record Background(Process process, Path log, Class<?> main) {

    /** Waits for it as {@link #runToCompletion} does; returns its output. */
    String await() throws Exception {
      boolean finished = process.waitFor(5, TimeUnit.MINUTES);
      if (!finished) {
        process.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, main.getSimpleName() + " did not finish:\n" + output);
      assertEquals(0, process.exitValue(), output);
      return output;
    }
  }

  /** Starts the goal, waits until {@code ready}, then kills it with SIGKILL. */
  static void killWhen(BooleanSupplier ready, Path log, Class<?> main, String... args)
      throws Exception {
    Process victim = fork(log, main, args).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!ready.getAsBoolean()) {
        assertTrue(victim.isAlive(), "the run ended before it could be killed:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() < deadline, "not ready within 5 minutes");
        Thread.sleep(20);
      }
    } finally {
      victim.destroyForcibly();
      assertTrue(victim.waitFor(1, TimeUnit.MINUTES));
    }
  }
}
