package org.reasonrl.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output directory of one goal's run. Opening it takes an exclusive lock ({@code .lock}), so a
 * second process writing the same directory fails at once instead of corrupting it. Every file is
 * written atomically (temp file + rename); checkpoints are directories {@code checkpoint-<step>}
 * written under a {@code .tmp} name, renamed when complete, and published by the {@code latest}
 * pointer file — so a kill at any instant leaves the previous good checkpoint readable.
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
  public static final String LATEST_FILE = "latest";
  public static final String METRICS_FILE = "metrics.jsonl";
  public static final String RESULT_FILE = "result.json";
  public static final String RUN_RECORD_FILE = "run.json";

  private static final String CHECKPOINT_PREFIX = "checkpoint-";
  private static final Pattern CHECKPOINT_NAME = Pattern.compile("checkpoint-(\\d+)");

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private RunDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and locks it.
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
      run.recoverFromInterruptedWrites();
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

  /** Writes {@code bytes} to {@code name} inside the run directory atomically. */
  public void writeAtomically(String name, byte[] bytes) {
    writeAtomically(root.resolve(name), bytes);
  }

  /** Writes {@code bytes} to {@code target} atomically: a temp file beside it, fsync, rename. */
  public static void writeAtomically(Path target, byte[] bytes) {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      moveAtomically(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Writes {@code value} as pretty JSON to {@code name}, atomically. */
  public void writeJson(String name, Object value) {
    writeJson(root.resolve(name), value);
  }

  public static void writeJson(Path target, Object value) {
    try {
      writeAtomically(target, Json.mapper().writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + target, e);
    }
  }

  /** Writes {@code records} as JSON Lines to {@code name}, atomically. */
  public void writeJsonLines(String name, List<?> records) {
    writeAtomically(name, Json.lines(records));
  }

  /** Writes {@code result.json}. */
  public void writeResult(Object result) {
    writeJson(RESULT_FILE, result);
  }

  // ---------------------------------------------------------------- checkpoints

  /** Something that fills a fresh, empty checkpoint directory. */
  @FunctionalInterface
  public interface CheckpointWriter {
    void write(Path directory) throws IOException;
  }

  /**
   * Writes checkpoint {@code step}: {@code writer} fills {@code checkpoint-<step>.tmp/}, which is
   * then renamed to {@code checkpoint-<step>/} and published through {@code latest}. Only after
   * that are older checkpoints deleted, so a kill at any point leaves one complete checkpoint.
   */
  public Path writeCheckpoint(long step, CheckpointWriter writer) {
    String name = CHECKPOINT_PREFIX + step;
    Path finalDir = root.resolve(name);
    Path tempDir = root.resolve(name + ".tmp");
    try {
      deleteRecursively(tempDir);
      Files.createDirectories(tempDir);
      writer.write(tempDir);
      fsyncTree(tempDir);
      deleteRecursively(finalDir);
      moveAtomically(tempDir, finalDir);
      fsync(root);
      writeAtomically(LATEST_FILE, name.getBytes(StandardCharsets.UTF_8));
      for (Path old : checkpointDirectories()) {
        if (!old.equals(finalDir)) {
          deleteRecursively(old);
        }
      }
      return finalDir;
    } catch (IOException e) {
      try {
        deleteRecursively(tempDir);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new UncheckedIOException("cannot write checkpoint " + finalDir, e);
    }
  }

  /**
   * Atomically creates or replaces the directory {@code name} (e.g. {@code best} for the best
   * model so far, or {@code model} for a goal's output): {@code writer} fills {@code name.tmp/};
   * the old directory is renamed to {@code name.old/}, the new one into place, then the old one
   * is deleted. If a kill leaves only {@code name.old/}, the next {@link #open} restores it.
   */
  public Path writeDirectory(String name, CheckpointWriter writer) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")
        || name.startsWith(CHECKPOINT_PREFIX)) {
      throw new IllegalArgumentException("'" + name + "' is not a plain directory name outside"
          + " the checkpoint-<step> series");
    }
    Path target = root.resolve(name);
    Path tempDir = root.resolve(name + ".tmp");
    Path oldDir = root.resolve(name + ".old");
    try {
      deleteRecursively(tempDir);
      Files.createDirectories(tempDir);
      writer.write(tempDir);
      fsyncTree(tempDir);
      deleteRecursively(oldDir);
      if (Files.exists(target)) {
        moveAtomically(target, oldDir);
      }
      moveAtomically(tempDir, target);
      fsync(root);
      deleteRecursively(oldDir);
      return target;
    } catch (IOException e) {
      try {
        deleteRecursively(tempDir);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** The newest complete checkpoint, as named by {@code latest}. */
  public Optional<Path> latestCheckpoint() {
    Path pointer = root.resolve(LATEST_FILE);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    try {
      String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
      Path dir = root.resolve(name);
      if (!CHECKPOINT_NAME.matcher(name).matches() || !Files.isDirectory(dir)) {
        throw new IllegalStateException("run directory " + root + ": file '" + LATEST_FILE
            + "' names '" + name + "', which is not a checkpoint directory here");
      }
      return Optional.of(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pointer, e);
    }
  }

  /** The step encoded in a checkpoint directory's name. */
  public static long checkpointStep(Path checkpoint) {
    Matcher matcher = CHECKPOINT_NAME.matcher(checkpoint.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(checkpoint + " is not a checkpoint-<step> directory");
    }
    return Long.parseLong(matcher.group(1));
  }

  private List<Path> checkpointDirectories() throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, CHECKPOINT_PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          found.add(entry);
        }
      }
    }
    return found;
  }

  /**
   * Leftovers of a writer killed mid-write: {@code *.tmp} files and directories are never
   * complete and are deleted; a {@code name.old} without {@code name} was being replaced and
   * is restored.
   */
  private void recoverFromInterruptedWrites() throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
      stream.forEach(entries::add);
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (!Files.isDirectory(entry)) {
        if (name.endsWith(".tmp")) {
          Files.delete(entry); // a temp file of an atomic write that never got renamed
        }
        continue;
      }
      if (name.endsWith(".tmp")) {
        deleteRecursively(entry);
      } else if (name.endsWith(".old")) {
        Path current = root.resolve(name.substring(0, name.length() - ".old".length()));
        if (Files.exists(current)) {
          deleteRecursively(entry);
        } else {
          moveAtomically(entry, current);
        }
      }
    }
  }

  // ---------------------------------------------------------------- metrics.jsonl

  /** Appends one JSON object as a line to {@code metrics.jsonl}, flushed and fsynced. */
  public void appendMetrics(Object record) {
    Path file = root.resolve(METRICS_FILE);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      byte[] line = (Json.mapper().writeValueAsString(record) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** Every record of {@code metrics.jsonl}, in order. */
  public List<JsonNode> readMetrics() {
    Path file = root.resolve(METRICS_FILE);
    List<JsonNode> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    try {
      int lineNumber = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(Json.mapper().readTree(line));
        } catch (IOException e) {
          throw new IllegalStateException(file + " line " + lineNumber + " is not JSON: " + line,
              e);
        }
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Keeps only the records of {@code metrics.jsonl} whose {@code step} is at most {@code step}
   * (and drops a torn last line), so that a resumed run appends after exactly the records an
   * uninterrupted run would have written by then. Rewritten atomically.
   */
  public void truncateMetricsAfter(long step) {
    Path file = root.resolve(METRICS_FILE);
    if (!Files.exists(file)) {
      return;
    }
    try {
      StringBuilder kept = new StringBuilder();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode record;
        try {
          record = Json.mapper().readTree(line);
        } catch (IOException torn) {
          continue; // a line cut by a kill mid-write; it is past the checkpoint anyway
        }
        JsonNode recordStep = record.get("step");
        if (recordStep == null || recordStep.asLong() <= step) {
          kept.append(line).append('\n');
        }
      }
      writeAtomically(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
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

  // ---------------------------------------------------------------- file helpers

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically", e);
    }
  }

  private static void fsyncTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    fsync(dir);
  }

  /** Makes a directory's entries durable (Linux supports fsync on a directory opened for read). */
  private static void fsync(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // Not every platform can open a directory; the rename is still atomic there.
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
