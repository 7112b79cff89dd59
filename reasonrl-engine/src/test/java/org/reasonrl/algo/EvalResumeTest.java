package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.eval.SampledChunks;
import org.reasonrl.run.Json;

/**
 * kill -9 during {@code eval}'s greedy pass, then during the rerun's sample pass, then a rerun
 * to the end: {@code samples.jsonl} is byte-identical to an uninterrupted run's and {@code
 * eval.json} equal but for times and the output path, and no finished chunk was sampled again.
 */
class EvalResumeTest {

  @TempDir
  Path temp;

  @Test
  void killedEvalResumesAfterItsFinishedChunksToTheSameOutputs() throws Exception {
    Path checkpoint = SupervisedFixtures.tinyCheckpoint(temp.resolve("policy"), 3);
    Path data = temp.resolve("data");
    SupervisedFixtures.easyDataset(data, 8, 48);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    Path chunks = interrupted.resolve(SampledChunks.DIR);
    String[] args = {checkpoint.toString(), data.toString(), interrupted.toString()};

    ForkedGoals.Background uninterrupted = ForkedGoals.start(temp.resolve("straight.log"),
        EvalFixture.class, checkpoint.toString(), data.toString(), straight.toString());
    List<String> killPoints = new ArrayList<>();

    ForkedGoals.killWhen(() -> Files.isRegularFile(chunks.resolve("greedy-00000.json")),
        temp.resolve("victim-1.log"), EvalFixture.class, args);
    Map<Path, FileTime> kept = chunkTimes(chunks);
    killPoints.add("greedy pass, " + kept.size() + " chunk(s) finished");
    assertFalse(Files.exists(interrupted.resolve(Evaluation.RESULT_FILE)), "victim 1 finished");
    assertFalse(Files.exists(chunks.resolve("sample-00023.json")), "victim 1 sampled all");

    ForkedGoals.killWhen(() -> Files.isRegularFile(chunks.resolve("sample-00001.json")),
        temp.resolve("victim-2.log"), EvalFixture.class, args);
    String second = Files.readString(temp.resolve("victim-2.log"));
    assertEquals(greedyKept(kept), reused(second, "greedy"), second);
    assertUnchanged(kept, chunks);
    kept = chunkTimes(chunks);
    killPoints.add("sample pass, " + kept.size() + " chunk(s) finished");
    assertFalse(Files.exists(interrupted.resolve(Evaluation.RESULT_FILE)), "victim 2 finished");

    String resumed = ForkedGoals.runToCompletion(temp.resolve("resumed.log"), EvalFixture.class,
        args);
    assertEquals(6, reused(resumed, "greedy"), resumed);
    assertEquals(kept.size() - 6, reused(resumed, "samples"), resumed);
    assertUnchanged(kept, chunks);
    uninterrupted.await();
    System.out.println("eval kill points tried: " + killPoints.size() + " " + killPoints);

    assertEquals(-1, Files.mismatch(straight.resolve(Evaluation.SAMPLES_FILE),
        interrupted.resolve(Evaluation.SAMPLES_FILE)), "samples.jsonl differs");
    assertEquals(comparable(straight), comparable(interrupted));
  }

  /** eval.json without what differs between any two runs: times, runtime, the output path. */
  private static JsonNode comparable(Path run) throws IOException {
    ObjectNode report = (ObjectNode) Json.mapper().readTree(
        run.resolve(Evaluation.RESULT_FILE).toFile());
    report.remove(List.of("seconds", "runtime"));
    ((ObjectNode) report.get("spec")).remove("output");
    return report;
  }

  private static int reused(String log, String pass) {
    Matcher m = Pattern.compile("eval " + pass + ": reused (\\d+) of").matcher(log);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static long greedyKept(Map<Path, FileTime> chunks) {
    return chunks.keySet().stream().filter(p -> p.getFileName().toString().startsWith("greedy"))
        .count();
  }

  private static Map<Path, FileTime> chunkTimes(Path dir) throws IOException {
    Map<Path, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.toString().endsWith(".json")) {
          times.put(file, Files.getLastModifiedTime(file));
        }
      }
    }
    return times;
  }

  /** Every chunk finished before a kill is still the file it was: not sampled again. */
  private static void assertUnchanged(Map<Path, FileTime> before, Path dir) throws IOException {
    Map<Path, FileTime> now = chunkTimes(dir);
    before.forEach((file, time) -> assertEquals(time, now.get(file), file + " was rewritten"));
  }
}
