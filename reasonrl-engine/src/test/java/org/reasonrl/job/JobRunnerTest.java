package org.reasonrl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/** The shared lifecycle on a job that needs no engine: a counter that can be told to fail. */
class JobRunnerTest {

  @TempDir
  Path temp;

  record Spec(String name, int steps, Nested nested, Path output) {}

  record Nested(double rate, List<Integer> sizes) {}

  record Result(int steps, int attempt) {}

  /** Counts its runs; fails on its first {@code failures} attempts, after memoising a step. */
  static final class CountingJob implements Job<Result> {
    final Spec spec;
    final AtomicInteger runs;
    final AtomicInteger memoWork;
    final int failures;
    boolean validated;

    CountingJob(Spec spec, AtomicInteger runs, AtomicInteger memoWork, int failures) {
      this.spec = spec;
      this.runs = runs;
      this.memoWork = memoWork;
      this.failures = failures;
    }

    @Override
    public JobDefinition<Result> definition() {
      return JobDefinition.of("count", spec.output(), spec, 7, Result.class).withoutEngine();
    }

    @Override
    public void validate() {
      validated = true;
      if (spec.steps() < 1) {
        throw new IllegalArgumentException("steps must be >= 1 but was " + spec.steps());
      }
    }

    @Override
    public Result run(JobContext context) {
      int attempt = runs.incrementAndGet();
      Integer prepared = context.memo("prepared.json", Integer.class, () -> {
        memoWork.incrementAndGet();
        return spec.steps() * 10;
      });
      context.record().recordStage("work", java.time.Duration.ofSeconds(1));
      if (attempt <= failures) {
        throw new IllegalStateException("crash on attempt " + attempt);
      }
      return new Result(prepared / 10, attempt);
    }
  }

  private Spec spec(Path out, int steps, double rate) {
    return new Spec("a", steps, new Nested(rate, List.of(1, 2)), out);
  }

  @Test
  void aFinishedRunIsReturnedAndAChangedSpecIsRefusedNamingEveryField() throws IOException {
    Path out = temp.resolve("run");
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger memo = new AtomicInteger();
    Result first = JobRunner.run(new CountingJob(spec(out, 3, 0.5), runs, memo, 0), l -> { });
    assertEquals(new Result(3, 1), first);
    JsonNode record = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertEquals("finished", record.get("status").asText());
    assertEquals("count", record.get("goal").asText());
    assertEquals(first, Json.mapper().readValue(out.resolve("result.json").toFile(),
        Result.class));

    List<String> log = new ArrayList<>();
    Result again = JobRunner.run(new CountingJob(spec(out, 3, 0.5), runs, memo, 0), log::add);
    assertEquals(first, again);
    assertEquals(1, runs.get(), "not run again");
    assertTrue(log.get(0).startsWith("count already finished"), log.toString());

    // The output directory is not part of the identity: the same run seen from another path.
    CountingJob moved = new CountingJob(spec(out.resolve("../run"), 3, 0.5), runs, memo, 0);
    assertEquals(first, JobRunner.run(moved, l -> { }));

    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> JobRunner.run(new CountingJob(spec(out, 4, 0.25), runs, memo, 0), l -> { }));
    assertEquals(List.of("spec.steps: 3 → 4", "spec.nested.rate: 0.5 → 0.25"),
        refused.differences());
    assertTrue(refused.getMessage().contains("holds a count run with other settings"),
        refused.getMessage());
    assertEquals(1, runs.get());
    assertEquals("finished", Json.mapper().readTree(out.resolve("run.json").toFile())
        .get("status").asText(), "a refused rerun leaves the record alone");
  }

  @Test
  void numbersCompareByValueAndAddedOrRemovedFieldsAreNamed() throws IOException {
    JsonNode there = Json.mapper().readTree("{\"a\":1,\"b\":{\"c\":2.0},\"gone\":true}");
    JsonNode here = Json.mapper().readTree("{\"a\":1.0,\"b\":{\"c\":2,\"d\":\"x\"}}");
    assertEquals(List.of("b.d: (unset) → \"x\"", "gone: true → (unset)"),
        SpecIdentity.differences(there, here));
  }

  @Test
  void aFailedAttemptIsRecordedAndTheRerunResumesFromItsMemoisedSteps() throws IOException {
    Path out = temp.resolve("crashy");
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger memo = new AtomicInteger();
    IllegalStateException crash = assertThrows(IllegalStateException.class,
        () -> JobRunner.run(new CountingJob(spec(out, 2, 0.5), runs, memo, 1), l -> { }));
    assertEquals("crash on attempt 1", crash.getMessage());
    JsonNode failed = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertEquals("failed", failed.get("status").asText());
    assertEquals("crash on attempt 1", failed.get("failure").asText());
    assertFalse(Files.exists(out.resolve("result.json")));

    Result result = JobRunner.run(new CountingJob(spec(out, 2, 0.5), runs, memo, 1), l -> { });
    assertEquals(new Result(2, 2), result);
    assertEquals(1, memo.get(), "the memoised step is read back, not redone");
    JsonNode finished = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertEquals("finished", finished.get("status").asText());
    assertEquals(2.0, finished.at("/stageSeconds/work").asDouble(), 1e-9,
        "stage times add up over both attempts");
  }

  @Test
  void badInputAndUnusableOutputsFailBeforeAnythingIsWritten() throws IOException {
    Path out = temp.resolve("never");
    CountingJob bad = new CountingJob(spec(out, 0, 0.5), new AtomicInteger(),
        new AtomicInteger(), 0);
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> JobRunner.run(bad, l -> { }));
    assertEquals("steps must be >= 1 but was 0", steps.getMessage());
    assertFalse(Files.exists(out));

    Path file = Files.writeString(temp.resolve("a-file"), "x");
    CountingJob onFile = new CountingJob(spec(file, 1, 0.5), new AtomicInteger(),
        new AtomicInteger(), 0);
    IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
        () -> JobRunner.run(onFile, l -> { }));
    assertTrue(notDir.getMessage().contains("is a file, not a directory"), notDir.getMessage());
    assertFalse(onFile.validated, "the output is checked first");

    CountingJob under = new CountingJob(spec(file.resolve("sub"), 1, 0.5), new AtomicInteger(),
        new AtomicInteger(), 0);
    IllegalArgumentException cannot = assertThrows(IllegalArgumentException.class,
        () -> JobRunner.run(under, l -> { }));
    assertTrue(cannot.getMessage().contains("cannot be created: " + file + " is a file"),
        cannot.getMessage());
    assertTrue(JobRunner.isUserError(cannot));
  }

  @Test
  void aSecondWriterIsRefusedWhileTheFirstHoldsTheDirectory() {
    Path out = temp.resolve("busy");
    try (RunDirectory held = RunDirectory.open(out)) {
      RuntimeException busy = assertThrows(RuntimeException.class, () -> JobRunner.run(
          new CountingJob(spec(out, 1, 0.5), new AtomicInteger(), new AtomicInteger(), 0),
          l -> { }));
      assertTrue(JobRunner.isUserError(busy), busy.toString());
      assertFalse(Files.exists(out.resolve(SpecIdentity.FILE)));
    }
  }
}
