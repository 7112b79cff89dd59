package org.reasonrl.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

/**
 * Writes that a kill at any instant leaves complete or not there at all. A file is written to
 * {@code name.tmp} beside it, fsynced and renamed over the target; a directory is filled as
 * {@code name.tmp/}, the old one renamed to {@code name.old/}, the new one into place, then the
 * old one deleted. {@link #recoverInterruptedWrites} clears what a killed writer left behind.
 */
public final class AtomicFiles {

  static final String TEMP_SUFFIX = ".tmp";
  static final String OLD_SUFFIX = ".old";

  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target}: a temp file beside it, fsync, rename. */
  public static void write(Path target, byte[] bytes) {
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
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
      move(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Writes {@code value} as pretty JSON to {@code target}. */
  public static void writeJson(Path target, Object value) {
    try {
      write(target, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + target, e);
    }
  }

  /** Writes {@code records} as JSON Lines to {@code target}. */
  public static void writeJsonLines(Path target, List<?> records) {
    write(target, Json.lines(records));
  }

  /**
   * Creates or replaces the directory {@code target}: {@code writer} fills {@code target.tmp/};
   * the old directory becomes {@code target.old/}, the new one takes its place, then the old one
   * is deleted. If a kill leaves only {@code target.old/}, {@link #recoverInterruptedWrites}
   * restores it.
   */
  public static Path replaceDirectory(Path target, DirectoryWriter writer) {
    Path tempDir = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    Path oldDir = target.resolveSibling(target.getFileName() + OLD_SUFFIX);
    try {
      writeTempDirectory(tempDir, writer);
      deleteRecursively(oldDir);
      if (Files.exists(target)) {
        move(target, oldDir);
      }
      move(tempDir, target);
      fsync(target.toAbsolutePath().getParent());
      deleteRecursively(oldDir);
      return target;
    } catch (IOException e) {
      throw deleteAfterFailure(tempDir, new UncheckedIOException("cannot write " + target, e));
    }
  }

  /**
   * Leftovers in {@code dir} of writers killed mid-write: {@code *.tmp} files and directories are
   * never complete and are deleted; a {@code name.old} without {@code name} was being replaced
   * and is restored; a {@code name.old} beside {@code name} is deleted.
   */
  public static void recoverInterruptedWrites(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (!Files.isDirectory(entry)) {
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.delete(entry); // a temp file of an atomic write that never got renamed
        }
        continue;
      }
      if (name.endsWith(TEMP_SUFFIX)) {
        deleteRecursively(entry);
      } else if (name.endsWith(OLD_SUFFIX)) {
        Path current = dir.resolve(name.substring(0, name.length() - OLD_SUFFIX.length()));
        if (Files.exists(current)) {
          deleteRecursively(entry);
        } else {
          move(entry, current);
        }
      }
    }
  }

  /** Empties or creates {@code tempDir}, lets {@code writer} fill it and makes it durable. */
  static void writeTempDirectory(Path tempDir, DirectoryWriter writer) throws IOException {
    deleteRecursively(tempDir);
    Files.createDirectories(tempDir);
    writer.write(tempDir);
    fsyncTree(tempDir);
  }

  /** Deletes {@code tempDir} after a failed write; returns {@code failure} to throw. */
  static UncheckedIOException deleteAfterFailure(Path tempDir, UncheckedIOException failure) {
    try {
      deleteRecursively(tempDir);
    } catch (IOException cleanup) {
      failure.getCause().addSuppressed(cleanup);
    }
    return failure;
  }

  /** Renames atomically, replacing {@code to}; refuses file systems that cannot. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically", e);
    }
  }

  /** Fsyncs every file below {@code dir}, then {@code dir} itself. */
  static void fsyncTree(Path dir) throws IOException {
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
  static void fsync(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // Not every platform can open a directory; the rename is still atomic there.
    }
  }

  /** Deletes a file or a directory tree; nothing there is not an error. */
  public static void deleteRecursively(Path path) throws IOException {
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
