package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/**
 * Two jobs in one JVM at once, as Maven {@code -T 2} runs two grid stages: a pretraining run
 * (which draws initial weights) beside an SFT run (which samples to validate), while a third
 * thread keeps starting the engine with other seeds and drawing from libtorch's global
 * generator, as other stages may. Every weight file and every logged metric must be
 * byte-for-byte those of the same job run alone.
 */
class ConcurrentJobsTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
  }

  private PretrainSpec pretrain(Path output) throws IOException {
    Path tokenizerFile = temp.resolve("vocabulary.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    int vocab;
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      vocab = tokenizer.vocabSize();
    }
    return new PretrainSpec(output, SupervisedFixtures.tinyConfig(vocab), 60,
        new Optimization(12, 4, 2, 3e-3, 3, 0.01, 1.0, 2, 6), 3);
  }

  /** 12 steps, validated (greedy and two samples at temperature 1) at steps 0 and 12. */
  private static SftSpec sft(Path base, DatasetSpec data, Path output) {
    return new SftSpec(base, data, output, 0, 4,
        new Optimization(12, 8, 4, 3e-3, 3, 0.0, 1.0, 2, 1000), 12, 0,
        RolloutSpec.of(2, 1.0, 16, 64), 11);
  }

  @Test
  void twoJobsSideBySideGiveWhatEachGivesAlone() throws Exception {
    Path base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 5);
    DatasetSpec data = SupervisedFixtures.easyDataset(temp.resolve("data"), 16, 4);

    new Pretrain(pretrain(temp.resolve("pretrain-alone"))).run(line -> { });
    new Sft(sft(base, data, temp.resolve("sft-alone"))).run(line -> { });

    ExecutorService threads = Executors.newFixedThreadPool(3);
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      PretrainSpec pretrainSpec = pretrain(temp.resolve("pretrain-beside"));
      SftSpec sftSpec = sft(base, data, temp.resolve("sft-beside"));
      // Pretraining first generates its corpus for seconds; SFT starts when it logs what it
      // trains, so that the two train (and SFT samples) at the same time.
      CountDownLatch corpusReady = new CountDownLatch(1);
      CompletableFuture<?> pretraining = CompletableFuture.runAsync(
          () -> new Pretrain(pretrainSpec).run(line -> corpusReady.countDown()), threads)
          .whenComplete((done, error) -> corpusReady.countDown());
      CompletableFuture<?> fineTuning = CompletableFuture.runAsync(() -> {
        await(corpusReady);
        new Sft(sftSpec).run(line -> { });
      }, threads);
      CompletableFuture<Integer> disturbances = CompletableFuture.supplyAsync(
          () -> disturbLibtorchWhile(running), threads);
      CompletableFuture.allOf(pretraining, fineTuning).get(5, TimeUnit.MINUTES);
      running.set(false);
      assertTrue(disturbances.get(1, TimeUnit.MINUTES) > 0, "nothing disturbed libtorch");
    } finally {
      running.set(false);
      threads.shutdown();
      assertTrue(threads.awaitTermination(1, TimeUnit.MINUTES));
    }

    assertSameOutputs(temp.resolve("pretrain-alone"), temp.resolve("pretrain-beside"));
    assertSameOutputs(temp.resolve("sft-alone"), temp.resolve("sft-beside"));
    // Each run records its own seed and the engine as it is, whatever the other stage asked for.
    assertRecorded(temp.resolve("pretrain-beside"), 3);
    assertRecorded(temp.resolve("sft-beside"), 11);
    assertTrue(Files.isRegularFile(temp.resolve("pretrain-alone").resolve(Pretrain.MODEL_DIR)
        .resolve(Checkpoint.WEIGHTS)));
  }

  /** What another stage may do meanwhile: start the engine with its seed, draw from libtorch. */
  private static int disturbLibtorchWhile(AtomicBoolean running) {
    int starts = 0;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      while (running.get()) {
        EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1000 + starts));
        manager.randomNormal(new Shape(64)).close();
        starts++;
        LockSupport.parkNanos(200_000);
      }
    }
    return starts;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(1, TimeUnit.MINUTES), "pretraining never started");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Byte-identical weight files; identical JSON-lines logs apart from wall-clock fields. */
  private static void assertSameOutputs(Path alone, Path beside) throws IOException {
    Map<String, Path> weights = files(alone, ".safetensors");
    assertFalse(weights.isEmpty(), "no weights under " + alone);
    assertTrue(weights.keySet().stream().anyMatch(f -> f.endsWith(Checkpoint.WEIGHTS)),
        weights.keySet().toString());
    assertEquals(weights.keySet(), files(beside, ".safetensors").keySet());
    for (String file : weights.keySet()) {
      assertEquals(-1, Files.mismatch(alone.resolve(file), beside.resolve(file)),
          file + " differs between the job alone and beside another");
    }
    Map<String, Path> logs = files(alone, ".jsonl");
    assertTrue(logs.containsKey(RunDirectory.METRICS_FILE), logs.keySet().toString());
    assertEquals(logs.keySet(), files(beside, ".jsonl").keySet());
    for (String file : logs.keySet()) {
      List<JsonNode> expected = withoutWallClock(alone.resolve(file));
      assertFalse(expected.isEmpty(), file);
      assertEquals(expected, withoutWallClock(beside.resolve(file)), file);
    }
  }

  private static void assertRecorded(Path run, long seed) throws IOException {
    JsonNode record = Json.mapper().readTree(run.resolve(RunDirectory.RUN_RECORD_FILE).toFile());
    assertEquals(seed, record.get("seed").asLong(), record.toString());
    assertEquals(JniUtils.getNumThreads(), record.at("/runtime/threads").asInt(),
        record.toString());
  }

  private static Map<String, Path> files(Path root, String suffix) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(f -> f.getFileName().toString().endsWith(suffix))
          .forEach(f -> out.put(root.relativize(f).toString(), f));
    }
    return out;
  }

  /** The records of a JSON-lines file without fields that measure time (seconds, rates). */
  private static List<JsonNode> withoutWallClock(Path file) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode record = Json.mapper().readTree(line);
      if (record instanceof ObjectNode object) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
          String name = names.next().toLowerCase(Locale.ROOT);
          if (name.contains("second") || name.contains("elapsed")) {
            names.remove();
          }
        }
      }
      records.add(record);
    }
    return records;
  }
}
