package org.reasonrl.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of a run: directories {@code checkpoint-<step>} written under a {@code .tmp}
 * name, renamed when complete and published by the pointer file {@code latest}. Only after that
 * are older checkpoints deleted, so a kill at any instant leaves one complete checkpoint.
 */
public final class CheckpointSeries {

  public static final String LATEST_FILE = "latest";

  static final String PREFIX = "checkpoint-";
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");

  private final Path root;

  /** The series kept in {@code root} (the run directory). */
  public CheckpointSeries(Path root) {
    this.root = root;
  }

  /**
   * Writes checkpoint {@code step}: {@code writer} fills {@code checkpoint-<step>.tmp/}, which is
   * renamed to {@code checkpoint-<step>/} and published through {@code latest}; then every other
   * checkpoint is deleted.
   */
  public Path write(long step, DirectoryWriter writer) {
    String name = PREFIX + step;
    Path finalDir = root.resolve(name);
    Path tempDir = root.resolve(name + AtomicFiles.TEMP_SUFFIX);
    try {
      AtomicFiles.writeTempDirectory(tempDir, writer);
      AtomicFiles.deleteRecursively(finalDir);
      AtomicFiles.move(tempDir, finalDir);
      AtomicFiles.fsync(root);
      AtomicFiles.write(root.resolve(LATEST_FILE), name.getBytes(StandardCharsets.UTF_8));
      for (Path old : directories()) {
        if (!old.equals(finalDir)) {
          AtomicFiles.deleteRecursively(old);
        }
      }
      return finalDir;
    } catch (IOException e) {
      throw AtomicFiles.deleteAfterFailure(tempDir,
          new UncheckedIOException("cannot write checkpoint " + finalDir, e));
    }
  }

  /** The newest complete checkpoint, as named by {@code latest}. */
  public Optional<Path> latest() {
    Path pointer = root.resolve(LATEST_FILE);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    try {
      String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
      Path dir = root.resolve(name);
      if (!NAME.matcher(name).matches() || !Files.isDirectory(dir)) {
        throw new IllegalStateException("run directory " + root + ": file '" + LATEST_FILE
            + "' names '" + name + "', which is not a checkpoint directory here");
      }
      return Optional.of(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pointer, e);
    }
  }

  /** The step encoded in a checkpoint directory's name. */
  public static long step(Path checkpoint) {
    Matcher matcher = NAME.matcher(checkpoint.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(checkpoint + " is not a checkpoint-<step> directory");
    }
    return Long.parseLong(matcher.group(1));
  }

  /** Whether {@code name} belongs to the series (its directories and their temp names). */
  static boolean isSeriesName(String name) {
    return name.startsWith(PREFIX);
  }

  private List<Path> directories() throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          found.add(entry);
        }
      }
    }
    return found;
  }
}
