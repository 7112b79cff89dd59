package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSeriesTest {

  @TempDir
  Path temp;

  @Test
  void theLatestPointerNamesTheNewestCheckpointAndOthersAreDeleted() throws IOException {
    CheckpointSeries series = new CheckpointSeries(temp);
    assertTrue(series.latest().isEmpty());
    series.write(3, dir -> Files.writeString(dir.resolve("w"), "three"));
    // A kill after publishing step 7 but before deleting older ones left checkpoint-5 behind.
    Files.createDirectories(temp.resolve("checkpoint-5"));
    Path seven = series.write(7, dir -> Files.writeString(dir.resolve("w"), "seven"));
    assertEquals("checkpoint-7", Files.readString(temp.resolve(CheckpointSeries.LATEST_FILE)));
    assertEquals(seven, series.latest().orElseThrow());
    assertEquals(List.of("checkpoint-7", "latest"), names());
    // Rewriting the same step replaces it.
    series.write(7, dir -> Files.writeString(dir.resolve("w"), "seven again"));
    assertEquals("seven again", Files.readString(seven.resolve("w")));
    assertEquals(List.of("checkpoint-7", "latest"), names());
  }

  @Test
  void aPointerToSomethingThatIsNotACheckpointIsAnError() throws IOException {
    CheckpointSeries series = new CheckpointSeries(temp);
    Files.writeString(temp.resolve(CheckpointSeries.LATEST_FILE), "checkpoint-9\n");
    IllegalStateException missing = assertThrows(IllegalStateException.class, series::latest);
    assertTrue(missing.getMessage().contains("'checkpoint-9'"), missing.getMessage());
    Files.createDirectories(temp.resolve("model"));
    Files.writeString(temp.resolve(CheckpointSeries.LATEST_FILE), "model");
    assertThrows(IllegalStateException.class, series::latest);
  }

  @Test
  void theStepIsReadFromTheDirectoryName() {
    assertEquals(1200, CheckpointSeries.step(temp.resolve("checkpoint-1200")));
    assertThrows(IllegalArgumentException.class,
        () -> CheckpointSeries.step(temp.resolve("checkpoint-12.tmp")));
    assertThrows(IllegalArgumentException.class,
        () -> CheckpointSeries.step(temp.resolve("best")));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(temp)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
