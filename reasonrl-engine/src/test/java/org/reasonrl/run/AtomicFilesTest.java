package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir
  Path temp;

  @Test
  void writeCreatesParentsReplacesTheFileAndLeavesNoTempFile() throws IOException {
    Path target = temp.resolve("a/b/file.txt");
    AtomicFiles.write(target, "one".getBytes());
    AtomicFiles.write(target, "two".getBytes());
    assertEquals("two", Files.readString(target));
    assertEquals(List.of("file.txt"), names(target.getParent()));
  }

  @Test
  void jsonLinesAreOneCompactObjectPerLine() throws IOException {
    Path target = temp.resolve("records.jsonl");
    AtomicFiles.writeJsonLines(target, List.of(Map.of("b", 2, "a", 1), Map.of("c", "x")));
    assertEquals("{\"a\":1,\"b\":2}\n{\"c\":\"x\"}\n", Files.readString(target));
  }

  @Test
  void aFailedDirectoryReplaceKeepsTheOldDirectoryAndRemovesTheHalfWrittenOne()
      throws IOException {
    Path best = temp.resolve("best");
    AtomicFiles.replaceDirectory(best, dir -> Files.writeString(dir.resolve("score"), "0.4"));
    UncheckedIOException failure = assertThrows(UncheckedIOException.class,
        () -> AtomicFiles.replaceDirectory(best, dir -> {
          Files.writeString(dir.resolve("score"), "0.");
          throw new IOException("disk full");
        }));
    assertEquals("disk full", failure.getCause().getMessage());
    assertEquals("0.4", Files.readString(best.resolve("score")));
    assertEquals(List.of("best"), names(temp));
  }

  @Test
  void recoveryRestoresAnInterruptedReplaceAndDropsEveryIncompleteWrite() throws IOException {
    // "model" was moved aside to model.old when the kill came: only the old copy is complete.
    Files.createDirectories(temp.resolve("model.old"));
    Files.writeString(temp.resolve("model.old/weights"), "old");
    Files.createDirectories(temp.resolve("model.tmp"));
    Files.writeString(temp.resolve("model.tmp/weights"), "half");
    // "best" was already replaced; its old copy had not been deleted yet.
    Files.createDirectories(temp.resolve("best"));
    Files.writeString(temp.resolve("best/score"), "new");
    Files.createDirectories(temp.resolve("best.old"));
    Files.writeString(temp.resolve("result.json.tmp"), "{\"acc");
    Files.writeString(temp.resolve("result.json"), "{}");

    AtomicFiles.recoverInterruptedWrites(temp);

    assertEquals(List.of("best", "model", "result.json"), names(temp));
    assertEquals("old", Files.readString(temp.resolve("model/weights")));
    assertEquals("new", Files.readString(temp.resolve("best/score")));
    assertEquals("{}", Files.readString(temp.resolve("result.json")));
  }

  @Test
  void deleteRecursivelyRemovesATreeAndIgnoresAMissingPath() throws IOException {
    Path tree = Files.createDirectories(temp.resolve("t/u/v"));
    Files.writeString(tree.resolve("f"), "x");
    AtomicFiles.deleteRecursively(temp.resolve("t"));
    assertFalse(Files.exists(temp.resolve("t")));
    AtomicFiles.deleteRecursively(temp.resolve("t"));
    assertTrue(names(temp).isEmpty());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
