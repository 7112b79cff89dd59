package org.reasonrl.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The output directory of one goal's run. Opening it takes an exclusive lock ({@code .lock}), so a
 * second process writing the same directory fails at once instead of corrupting it, and clears
 * what a killed writer left half-written. Every file is written atomically ({@link AtomicFiles});
 * checkpoints form a {@link CheckpointSeries}; per-step records go to a {@link MetricsLog}.
 *
 * <pre>
 *   .lock               pid of the holder; locked while the run is open
 *   latest              name of the newest complete checkpoint directory
 *   checkpoint-&lt;step&gt;/  model files, optimizer state, state.json
 *   metrics.jsonl       one JSON object per logged step
 *   run.json            {@link RunRecord}: versions, seed, config, times
 *   result.json         written at the end
 * </pre>
 */
public final class RunDirectory implements AutoCloseable {

  public static final String LOCK_FILE = ".lock";
  public static final String LATEST_FILE = CheckpointSeries.LATEST_FILE;
  public static final String METRICS_FILE = MetricsLog.FILE;
  public static final String RESULT_FILE = "result.json";
  public static final String RUN_RECORD_FILE = "run.json";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final CheckpointSeries checkpoints;
  private final MetricsLog metrics;

  private RunDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.checkpoints = new CheckpointSeries(root);
    this.metrics = new MetricsLog(root.resolve(METRICS_FILE));
  }

  /**
   * Creates the directory if needed, locks it and recovers from interrupted writes
   * ({@link AtomicFiles#recoverInterruptedWrites}).
   *
   * @throws RunDirectoryLockedException if another process or an open instance holds the lock
   */
  public static RunDirectory open(Path directory) {
    Path root = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
      Path lockPath = root.resolve(LOCK_FILE);
      FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException alreadyInThisJvm) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(lockPath);
        channel.close();
        throw new RunDirectoryLockedException("run directory " + root
            + " is in use by another running goal" + (holder.isEmpty() ? "" : " (pid " + holder
            + ")") + "; wait for it to finish or choose another output directory");
      }
      // The lock is advisory: the pid is readable by the process that fails to get it.
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(
          Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      RunDirectory run = new RunDirectory(root, channel, lock);
      try {
        AtomicFiles.recoverInterruptedWrites(root);
      } catch (IOException | RuntimeException e) {
        run.close();
        throw e;
      }
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run directory " + root, e);
    }
  }

  private static String readHolder(Path lockPath) {
    try {
      return Files.readString(lockPath, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  public Path root() {
    return root;
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }

  public CheckpointSeries checkpoints() {
    return checkpoints;
  }

  public MetricsLog metrics() {
    return metrics;
  }

  // ---------------------------------------------------------------- files

  /** Writes {@code bytes} to {@code name} inside the run directory atomically. */
  public void writeAtomically(String name, byte[] bytes) {
    AtomicFiles.write(root.resolve(name), bytes);
  }

  /** {@link AtomicFiles#write}. */
  public static void writeAtomically(Path target, byte[] bytes) {
    AtomicFiles.write(target, bytes);
  }

  /** Writes {@code value} as pretty JSON to {@code name}, atomically. */
  public void writeJson(String name, Object value) {
    AtomicFiles.writeJson(root.resolve(name), value);
  }

  /** {@link AtomicFiles#writeJson}. */
  public static void writeJson(Path target, Object value) {
    AtomicFiles.writeJson(target, value);
  }

  /** Writes {@code records} as JSON Lines to {@code name}, atomically. */
  public void writeJsonLines(String name, List<?> records) {
    AtomicFiles.writeJsonLines(root.resolve(name), records);
  }

  /** Writes {@code result.json}. */
  public void writeResult(Object result) {
    writeJson(RESULT_FILE, result);
  }

  /**
   * Atomically creates or replaces the directory {@code name} (e.g. {@code best} for the best
   * model so far, or {@code model} for a goal's output), as {@link AtomicFiles#replaceDirectory}
   * does; if a kill leaves only {@code name.old/}, the next {@link #open} restores it.
   */
  public Path writeDirectory(String name, DirectoryWriter writer) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")
        || CheckpointSeries.isSeriesName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a plain directory name outside"
          + " the checkpoint-<step> series");
    }
    return AtomicFiles.replaceDirectory(root.resolve(name), writer);
  }

  // ---------------------------------------------------------------- checkpoints

  /** {@link CheckpointSeries#write}. */
  public Path writeCheckpoint(long step, DirectoryWriter writer) {
    return checkpoints.write(step, writer);
  }

  /** {@link CheckpointSeries#latest}. */
  public Optional<Path> latestCheckpoint() {
    return checkpoints.latest();
  }

  /** {@link CheckpointSeries#step}. */
  public static long checkpointStep(Path checkpoint) {
    return CheckpointSeries.step(checkpoint);
  }

  // ---------------------------------------------------------------- metrics.jsonl

  /** {@link MetricsLog#append}. */
  public void appendMetrics(Object record) {
    metrics.append(record);
  }

  /** {@link MetricsLog#read}. */
  public List<JsonNode> readMetrics() {
    return metrics.read();
  }

  /** {@link MetricsLog#truncateAfter}. */
  public void truncateMetricsAfter(long step) {
    metrics.truncateAfter(step);
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release lock of " + root, e);
    }
  }
}
