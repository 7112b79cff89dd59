package org.reasonrl.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.json names a run's inputs by path; a rerun whose paths now hold other bytes (a base
 * checkpoint retrained in place, an edited dataset) would continue, or return, work made from
 * the old ones while claiming the new: it is refused, naming the field and the file.
 */
class InputFilesTest {

  @TempDir
  Path temp;

  record Source(String name, Path path) {}

  record Spec(Path checkpoint, Source data, int steps, Path output) {}

  record Result(int steps) {}

  static final class ReadingJob implements Job<Result> {
    final Spec spec;
    final AtomicInteger runs;
    final boolean continues;

    ReadingJob(Spec spec, AtomicInteger runs, boolean continues) {
      this.spec = spec;
      this.runs = runs;
      this.continues = continues;
    }

    @Override
    public JobDefinition<Result> definition() {
      return JobDefinition.of("read", spec.output(), spec, 1, Result.class).withoutEngine();
    }

    @Override
    public Result run(JobContext context) {
      runs.incrementAndGet();
      return new Result(spec.steps());
    }

    @Override
    public boolean continuesEarlierWork() {
      return continues;
    }
  }

  private Spec spec(Path out) {
    return new Spec(temp.resolve("base"), new Source("d", temp.resolve("data.jsonl")), 3, out);
  }

  private void inputs() throws IOException {
    Files.createDirectories(temp.resolve("base"));
    Files.writeString(temp.resolve("base/config.json"), "{\"a\":1}");
    Files.writeString(temp.resolve("base/model.safetensors"), "weights-1");
    Files.writeString(temp.resolve("data.jsonl"), "{}\n");
  }

  @Test
  void aRerunOnInputsRewrittenInPlaceIsRefusedNamingTheFieldAndTheFile() throws IOException {
    inputs();
    Path out = temp.resolve("run");
    AtomicInteger runs = new AtomicInteger();
    JobRunner.run(new ReadingJob(spec(out), runs, true), l -> { });

    // The same bytes with a new modification time (a copy, a touch) are the same input.
    Files.setLastModifiedTime(temp.resolve("base/model.safetensors"),
        FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    JobRunner.run(new ReadingJob(spec(out), runs, true), l -> { });
    assertEquals(1, runs.get(), "the finished run is returned");

    Files.writeString(temp.resolve("base/model.safetensors"), "weights-2");
    Files.writeString(temp.resolve("base/tokenizer.json"), "{}");
    Files.writeString(temp.resolve("data.jsonl"), "{}\n{}\n");
    byte[] record = Files.readAllBytes(out.resolve("run.json"));
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> JobRunner.run(new ReadingJob(spec(out), runs, true), l -> { }));
    List<String> differences = refused.differences();
    assertEquals(3, differences.size(), differences.toString());
    assertTrue(differences.get(0).startsWith("spec.checkpoint: " + temp.resolve("base")
        .resolve("model.safetensors") + " changed (sha256 "), differences.toString());
    assertEquals("spec.checkpoint: " + temp.resolve("base").resolve("tokenizer.json")
        + " added", differences.get(1));
    assertTrue(differences.get(2).startsWith("spec.data.path: " + temp.resolve("data.jsonl")
        + " changed (size 3 → 6"), differences.toString());
    assertTrue(refused.getMessage().contains("started from other inputs"), refused.getMessage());
    assertEquals(1, runs.get());
    assertArrayEquals(record, Files.readAllBytes(out.resolve("run.json")),
        "a refused rerun leaves the record alone");
  }

  @Test
  void aJobThatRedoesItsWorkIsNotBoundToItsFirstInputs() throws IOException {
    inputs();
    Path out = temp.resolve("eval-like");
    AtomicInteger runs = new AtomicInteger();
    JobRunner.run(new ReadingJob(spec(out), runs, false), l -> { });
    Files.writeString(temp.resolve("base/model.safetensors"), "weights-2");
    JobRunner.run(new ReadingJob(spec(out), runs, false), l -> { });
    assertEquals(1, runs.get(), "its own currency check (finishedResultIsCurrent) decides");
  }
}
