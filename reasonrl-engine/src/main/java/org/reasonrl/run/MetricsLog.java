package org.reasonrl.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.jsonl}: one JSON object a line, appended and fsynced one record at a
 * time, so a kill loses at most the line being written (which {@link #truncateAfter} drops).
 */
public final class MetricsLog {

  public static final String FILE = "metrics.jsonl";

  private final Path file;

  /** The log at {@code file} (created by the first append). */
  public MetricsLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Appends one JSON object as a line, flushed and fsynced. */
  public void append(Object record) {
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

  /**
   * Every record, in order; blank lines are skipped.
   *
   * @throws IllegalStateException naming the line when a line is not JSON
   */
  public List<JsonNode> read() {
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
   * Keeps only the records whose {@code step} is at most {@code step} (and those without a step),
   * dropping a torn line, so that a resumed run appends after exactly the records an
   * uninterrupted run would have written by then. Rewritten atomically.
   */
  public void truncateAfter(long step) {
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
      AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
  }
}
