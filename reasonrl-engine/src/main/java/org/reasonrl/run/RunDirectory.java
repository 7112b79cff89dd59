package org.reasonrl.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The output directory of one goal's run. Opening it takes an exclusive lock ({@code .lock}), so a
 * second process writing the same directory fails at once instead of corrupting it, and clears
 * what a killed writer left half-written. Every file is written atomically ({@link AtomicFiles});
 * checkpoints form a {@link CheckpointSeries}; per-step records go to a {@link MetricsLog}.
 *
 * <pre>
 *   .lock               the holder (goal, pid, host, since), locked while the run is open and
 *                       emptied when it closes: a holder still named there belonged to a
 *                       process that died holding it (killed), whose lock the OS released
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
  private final Path key;
  private final LockHolder holder;
  private final Optional<LockHolder> recoveredFrom;

  /** The directories (real paths) this JVM holds open, with their holders. */
  private static final Map<Path, LockHolder> HELD_HERE = new ConcurrentHashMap<>();

  private RunDirectory(Path root, Path key, FileChannel lockChannel, FileLock lock,
      LockHolder holder, Optional<LockHolder> recoveredFrom) {
    this.root = root;
    this.key = key;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.holder = holder;
    this.recoveredFrom = recoveredFrom;
    this.checkpoints = new CheckpointSeries(root);
    this.metrics = new MetricsLog(root.resolve(METRICS_FILE));
  }

  /** {@link #open(Path, String)} by no named goal (a job's sub-run, a test). */
  public static RunDirectory open(Path directory) {
    return open(directory, null);
  }

  /**
   * Creates the directory if needed, locks it, records the holder ({@code goal}, this process's
   * pid and host, the time) in {@code .lock}, and recovers from interrupted writes
   * ({@link AtomicFiles#recoverInterruptedWrites}). A lock whose holder was killed is taken
   * over (the OS released it with the process): {@link #recoveredFrom} names that holder.
   *
   * @param goal the goal that opens the directory, named to a second one refused; may be null
   * @throws RunDirectoryLockedException if another process or an open instance holds the lock;
   *     the message names the holder
   */
  public static RunDirectory open(Path directory, String goal) {
    Path root = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
      Path lockPath = root.resolve(LOCK_FILE);
      // A directory this JVM holds is refused before a second channel is opened on its .lock:
      // closing that channel (or any other descriptor of the file) would release the holder's
      // POSIX lock, and a third process could then take the directory while it is written.
      Path key = root.toRealPath();
      LockHolder holder = LockHolder.current(goal);
      LockHolder here = HELD_HERE.putIfAbsent(key, holder);
      if (here != null) {
        throw locked(root, Optional.of(here));
      }
      FileChannel channel = null;
      try {
        channel = FileChannel.open(lockPath, StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          Optional<LockHolder> other = LockHolder.parse(readHolder(lockPath));
          channel.close();
          throw locked(root, other);
        }
        // Still named there: its holder died without closing (a clean close empties the
        // file). Read through the locking channel, for the reason above.
        Optional<LockHolder> recovered = LockHolder.parse(readHolder(channel));
        // The lock is advisory: the holder is readable by the process that fails to get it.
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder.toText().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        RunDirectory run = new RunDirectory(root, key, channel, lock, holder, recovered);
        try {
          AtomicFiles.recoverInterruptedWrites(root);
        } catch (IOException | RuntimeException e) {
          run.close();
          throw e;
        }
        return run;
      } catch (IOException | RuntimeException e) {
        if (channel != null && channel.isOpen()) {
          channel.close();
        }
        HELD_HERE.remove(key, holder);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run directory " + root, e);
    }
  }

  private static RunDirectoryLockedException locked(Path root, Optional<LockHolder> holder) {
    return new RunDirectoryLockedException("run directory " + root + " is in use by "
        + holder.map(LockHolder::describe).orElse("another running goal")
        + "; wait for it to finish or choose another output directory");
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
    while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
      // until full or at the end
    }
    return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
  }

  /** For the process that failed to get the lock (it holds none to lose by closing). */
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

  /**
   * The holder of a lock this open took over: a process that died holding the directory
   * (killed, or its machine lost), as its {@code .lock} still named it; empty after a clean
   * close.
   */
  public Optional<LockHolder> recoveredFrom() {
    return recoveredFrom;
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
      // Emptied before the release: a holder left in .lock means its process died holding it.
      lockChannel.truncate(0);
      lockChannel.force(true);
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release lock of " + root, e);
    } finally {
      HELD_HERE.remove(key, holder);
    }
  }
}
