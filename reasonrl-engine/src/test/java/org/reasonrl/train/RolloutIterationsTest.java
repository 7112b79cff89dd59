package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.train.ToyPolicyGradient.MicroBatch;
import org.reasonrl.train.ToyPolicyGradient.Rollouts;

class RolloutIterationsTest {

  private static final long SEED = 11;
  private static final long ITERATIONS = 3;
  /** Fields that measure time, so differ between any two runs. */
  private static final List<String> TIMES = List.of("tokensPerSecond", "bufferSeconds",
      "updateSeconds", "elapsedSeconds");

  @TempDir
  Path temp;

  private Path initialWeights;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** Every run starts from the same weights, whatever libtorch's generator did before. */
  @BeforeEach
  void initialWeights() throws IOException {
    initialWeights = temp.resolve("initial");
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      new BlockParameters(model.getParameters()).save(Files.createDirectories(initialWeights));
    }
  }

  /** One invocation of the driver on {@code dir} with a model fresh from the initial weights. */
  private final class Attempt {
    final AtomicInteger builds = new AtomicInteger();
    final List<Long> listened = new ArrayList<>();
    final List<double[]> microBatchStatistics = new ArrayList<>();
    Map<String, float[]> finalWeights;
    IterationResult result;

    Attempt(Path dir, Predicate<MicroBatch> crash, long stopAfter) throws IOException {
      try (RunDirectory run = RunDirectory.open(dir);
          NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
        TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
        new BlockParameters(model.getParameters()).load(initialWeights);
        Objective<MicroBatch> objective = ToyPolicyGradient.objective(model);
        Objective<MicroBatch> observed = (batch, parameters, m) -> {
          if (crash.test(batch)) {
            throw new IllegalStateException("simulated crash");
          }
          Objective.Loss loss = objective.compute(batch, parameters, m);
          Statistics.Mean clip = loss.statistics().entries().get("clipFraction");
          microBatchStatistics.add(new double[] {batch.iteration(),
              loss.sum().getFloat(), loss.count(), clip.sum(), clip.weight()});
          return loss;
        };
        try {
          result = RolloutIterations.builder(ToyPolicyGradient.options(ITERATIONS, SEED),
                  model.getParameters(), ToyPolicyGradient.builder(model, SEED, builds),
                  RolloutIterations.BufferCodec.json(Rollouts.class),
                  ToyPolicyGradient.plan(SEED), observed)
              .runDirectory(run)
              .progress(Progress.lines("toy", ITERATIONS, "iterations", line -> { }))
              .listener(metrics -> {
                listened.add(metrics.iteration());
                return metrics.iteration() == stopAfter ? LoopControl.STOP
                    : LoopControl.CONTINUE;
              })
              .build()
              .run(manager);
        } finally {
          finalWeights = GradientsTest.parameters(model.getParameters());
        }
      }
    }
  }

  private Attempt attempt(Path dir) throws IOException {
    return new Attempt(dir, batch -> false, -1);
  }

  @Test
  void aRunCrashedDuringTheUpdatesResumesFromThePersistedBufferToTheSameWeights()
      throws Exception {
    Path straightDir = temp.resolve("straight");
    Attempt straight = attempt(straightDir);
    assertEquals(3, straight.builds.get());
    assertEquals(ITERATIONS, straight.result.iterations());
    assertEquals(ITERATIONS * ToyPolicyGradient.UPDATES_PER_ITERATION,
        straight.result.optimizerSteps());
    assertFalse(straight.result.stopped());

    // Crash in iteration 2, update 4 of 6: its buffer is on disk, three updates are applied.
    Path crashedDir = temp.resolve("crashed");
    IllegalStateException crash = assertThrows(IllegalStateException.class,
        () -> new Attempt(crashedDir, batch -> batch.iteration() == 2 && batch.update() == 3,
            -1));
    assertEquals("simulated crash", crash.getMessage());
    assertEquals(crashedDir.resolve("checkpoint-1"), latest(crashedDir));
    assertTrue(Files.exists(crashedDir.resolve("rollouts-2")
        .resolve(RolloutIterations.BUFFER_STATISTICS_FILE)));
    assertEquals(1, metrics(crashedDir).size());
    // What a kill between writing checkpoint-1 and deleting its buffer would leave.
    Files.createDirectories(crashedDir.resolve("rollouts-1"));

    Attempt resumed = attempt(crashedDir);
    assertEquals(1, resumed.builds.get(), "iteration 2's buffer was rebuilt, not read");
    assertEquals(1, resumed.result.resumedFromIteration());
    assertEquals(ITERATIONS, resumed.result.iterations());
    assertEquals(List.of(2L, 3L), resumed.listened);
    for (String name : straight.finalWeights.keySet()) {
      assertArrayEquals(straight.finalWeights.get(name), resumed.finalWeights.get(name), name);
    }
    List<JsonNode> expected = metrics(straightDir);
    List<JsonNode> actual = metrics(crashedDir);
    assertEquals(ITERATIONS, actual.size());
    for (int i = 0; i < ITERATIONS; i++) {
      assertEquals(withoutTimes(expected.get(i)), withoutTimes(actual.get(i)), "iteration "
          + (i + 1));
    }
    assertEquals(List.of(), buffers(straightDir));
    assertEquals(List.of(), buffers(crashedDir));
  }

  @Test
  void eachIterationRecordPoolsItsUpdatesAndCarriesTheBufferStatistics() throws Exception {
    Path dir = temp.resolve("run");
    Attempt run = attempt(dir);
    List<JsonNode> records = metrics(dir);
    assertEquals(ITERATIONS, records.size());
    for (int i = 0; i < ITERATIONS; i++) {
      long iteration = i + 1;
      JsonNode record = records.get(i);
      assertEquals(iteration, record.get("iteration").asLong());
      assertEquals(iteration * ToyPolicyGradient.UPDATES_PER_ITERATION,
          record.get("step").asLong());
      assertEquals(ToyPolicyGradient.UPDATES_PER_ITERATION, record.get("updates").asInt());
      // Pooled by hand from what the objective returned for each micro-batch of the iteration.
      double lossSum = 0;
      double count = 0;
      double clipped = 0;
      double clipWeight = 0;
      for (double[] m : run.microBatchStatistics) {
        if (m[0] == iteration) {
          lossSum += m[1];
          count += m[2];
          clipped += m[3];
          clipWeight += m[4];
        }
      }
      // Every token of every sequence, once per epoch.
      assertEquals(ToyPolicyGradient.EPOCHS * TinyTraining.SEQUENCES * TinyTraining.LENGTH,
          count, 0.0);
      assertEquals(lossSum / count, record.get("loss").asDouble(), 1e-6);
      JsonNode stats = record.get("stats");
      assertEquals(clipped / clipWeight, stats.get("clipFraction").asDouble(), 1e-12);
      assertTrue(stats.has("approxKl") && stats.has("reward"), stats.toString());
      double reward = stats.get("reward").asDouble();
      assertTrue(reward > 0 && reward < 1, "reward " + reward);
    }
    // The toy learns: sampled tokens follow the corpus rule more often.
    assertTrue(records.get(2).get("stats").get("reward").asDouble()
        > records.get(0).get("stats").get("reward").asDouble(), records.toString());
    // The first update of a run is on-policy: ratios are exactly 1, nothing clipped.
    assertEquals(0.0, run.microBatchStatistics.get(0)[3]);
  }

  @Test
  void listenerStopEndsTheRunAfterThatIterationAndARerunDoesNotGoOn() throws Exception {
    Path dir = temp.resolve("run");
    Attempt stopped = new Attempt(dir, batch -> false, 2);
    assertTrue(stopped.result.stopped());
    assertEquals(2, stopped.result.iterations());
    assertEquals(List.of(1L, 2L), stopped.listened);
    assertEquals(dir.resolve("checkpoint-2"), latest(dir));
    IterationState state = Json.mapper().readValue(dir.resolve("checkpoint-2")
        .resolve(TrainingLoop.STATE_FILE).toFile(), IterationState.class);
    assertTrue(state.stopped());

    Attempt again = attempt(dir);
    assertTrue(again.result.stopped());
    assertEquals(2, again.result.iterations());
    assertEquals(0, again.builds.get());
    assertEquals(List.of(), again.listened);
    assertEquals(2, metrics(dir).size());
    for (String name : stopped.finalWeights.keySet()) {
      assertArrayEquals(stopped.finalWeights.get(name), again.finalWeights.get(name), name);
    }
  }

  @Test
  void resumingWithOtherOptionsIsRefused() throws Exception {
    Path dir = temp.resolve("run");
    new Attempt(dir, batch -> false, 1);
    try (RunDirectory run = RunDirectory.open(dir);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      IllegalStateException mismatch = assertThrows(IllegalStateException.class,
          () -> RolloutIterations.builder(ToyPolicyGradient.options(ITERATIONS, SEED + 1),
                  model.getParameters(), ToyPolicyGradient.builder(model, SEED,
                      new AtomicInteger()),
                  RolloutIterations.BufferCodec.json(Rollouts.class),
                  ToyPolicyGradient.plan(SEED), ToyPolicyGradient.objective(model))
              .runDirectory(run).build().run(manager));
      assertTrue(mismatch.getMessage().contains("holds a checkpoint (iteration 1) of a run with"
          + " other options"), mismatch.getMessage());
    }
  }

  private static JsonNode withoutTimes(JsonNode record) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = record.deepCopy();
    copy.remove(TIMES);
    return copy;
  }

  private static Path latest(Path dir) throws IOException {
    return dir.resolve(Files.readString(dir.resolve(RunDirectory.LATEST_FILE)).trim());
  }

  private static List<JsonNode> metrics(Path dir) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(RunDirectory.METRICS_FILE))) {
      records.add(Json.mapper().readTree(line));
    }
    return records;
  }

  private static List<String> buffers(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(RolloutIterations.BUFFER_PREFIX)).toList();
    }
  }
}
