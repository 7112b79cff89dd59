package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

class TrainingLoopTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  private static TrainingLoop<TokenBatch> loop(TinyLm model, TrainingOptions options,
      RunDirectory run, BatchSource<TokenBatch> batches, List<String> progress,
      TrainingLoop.StepListener listener) {
    return TrainingLoop.builder(options, model.getParameters(), batches,
            TokenBatch.objective(model))
        .runDirectory(run)
        .progress(Progress.lines("test", options.steps(), "steps", progress::add))
        .listener(listener)
        .build();
  }

  @Test
  void nonFiniteLossStopsBeforeTheUpdateAndKeepsTheLastCheckpoint() throws Exception {
    TrainingOptions options = TinyTraining.options(12, 1);
    TokenBatch corpus = TinyTraining.corpus();
    BatchSource<TokenBatch> healthy = TinyTraining.batches(corpus, 1);
    // The model's loss on step 7 (0-based 6) becomes NaN, as an overflow would make it.
    List<TokenBatch> poisonedBatches = healthy.microBatches(6);
    BatchSource<TokenBatch> batches = step -> step == 6 ? poisonedBatches
        : healthy.microBatches(step);
    List<Map<String, float[]>> afterStep = new ArrayList<>();
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(1, "tiny-lm"));
      TrainingDivergedException error = assertThrows(TrainingDivergedException.class,
          () -> TrainingLoop.builder(options, model.getParameters(), batches,
                  poisonedAt(model, poisonedBatches.get(1)))
              .runDirectory(run)
              .progress(Progress.lines("test", 12, "steps", line -> { }))
              .listener(metrics -> {
                afterStep.add(GradientsTest.parameters(model.getParameters()));
                return LoopControl.CONTINUE;
              })
              .build().run(manager));
      assertEquals(7, error.step());
      assertEquals(temp.resolve("checkpoint-5"), error.lastGoodCheckpoint());
      assertTrue(error.getMessage().startsWith("training diverged at step 7 of 12: loss is NaN;"),
          error.getMessage());
      assertTrue(error.getMessage().contains(temp.resolve("checkpoint-5") + " (step 5) is kept"),
          error.getMessage());
      assertEquals(temp.resolve("checkpoint-5"), run.latestCheckpoint().orElseThrow());
      assertEquals(6, run.readMetrics().size());
      // The bad step changed nothing: the parameters are those after step 6.
      Map<String, float[]> now = GradientsTest.parameters(model.getParameters());
      for (String name : now.keySet()) {
        assertArrayEquals(afterStep.get(5).get(name), now.get(name), name);
      }
      assertEquals(0, Gradients.globalNorm(model.getParameters()));
    }
  }

  private static Objective<TokenBatch> poisonedAt(TinyLm model, TokenBatch poison) {
    Objective<TokenBatch> objective = TokenBatch.objective(model);
    return (batch, parameters, manager) -> {
      Objective.Loss loss = objective.compute(batch, parameters, manager);
      return batch != poison ? loss
          : new Objective.Loss(loss.sum().mul(Float.NaN), loss.count(), loss.tokens());
    };
  }

  @Test
  void resumingWithOtherOptionsFailsAndAFinishedRunReturnsAtOnce() {
    TokenBatch corpus = TinyTraining.corpus();
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(1, "tiny-lm"));
      TrainingResult first = loop(model, TinyTraining.options(6, 2), run,
          TinyTraining.batches(corpus, 2), new ArrayList<>(), null).run(manager);
      assertEquals(6, first.steps());
      assertEquals(0, first.resumedFromStep());

      List<String> progress = new ArrayList<>();
      TrainingResult again = loop(model, TinyTraining.options(6, 2), run,
          TinyTraining.batches(corpus, 2), progress, null).run(manager);
      assertEquals(6, again.resumedFromStep());
      assertEquals(first.finalLoss(), again.finalLoss());
      assertTrue(progress.isEmpty(), "a finished run trained again: " + progress);
      assertEquals(6, run.readMetrics().size());

      IllegalStateException mismatch = assertThrows(IllegalStateException.class,
          () -> loop(model, TinyTraining.options(6, 3), run, TinyTraining.batches(corpus, 3),
              new ArrayList<>(), null).run(manager));
      assertTrue(mismatch.getMessage().contains("holds a checkpoint (step 6) of a run with other"
          + " options"), mismatch.getMessage());
    }
  }

  @Test
  void eachStepRunsInItsOwnScopeSoLiveArraysStayFlat() throws Exception {
    TrainingOptions options = TinyTraining.options(8, 4);
    List<Integer> liveArrays = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(1, "tiny-lm"));
      int before = manager.getManagedArrays().size();
      TrainingResult result = loop(model, options, run,
          TinyTraining.batches(TinyTraining.corpus(), 4), progress,
          metrics -> {
            liveArrays.add(manager.getManagedArrays().size());
            return LoopControl.CONTINUE;
          }).run(manager);
      assertEquals(8, result.steps());
      // After the first step the optimizer holds its moments; nothing else may accumulate.
      for (int i = 1; i < liveArrays.size(); i++) {
        assertEquals(liveArrays.get(0), liveArrays.get(i), "live arrays per step " + liveArrays);
      }
      assertEquals(before, manager.getManagedArrays().size());
      assertTrue(progress.get(progress.size() - 1).startsWith("test 8/8 steps (100%)"),
          progress.toString());
      assertTrue(Files.exists(temp.resolve("checkpoint-8").resolve(TrainingLoop.STATE_FILE)));
    }
  }

  @Test
  void objectiveStatisticsArePooledOverMicroBatchesIntoEachRecord() {
    TrainingOptions options = TinyTraining.options(4, 7);
    BatchSource<TokenBatch> batches = TinyTraining.batches(TinyTraining.corpus(), 7);
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      Objective<TokenBatch> nll = TokenBatch.objective(model);
      // Per micro-batch: the first input token summed over sequences (a per-sequence mean), the
      // NLL sum over masked tokens (a per-token mean: must equal the loss), and a statistic only
      // the micro-batches of two sequences report.
      Objective<TokenBatch> withStatistics = (batch, parameters, m) -> {
        Objective.Loss loss = nll.compute(batch, parameters, m);
        double firstTokens = batch.inputs().stream().mapToLong(ids -> ids[0]).sum();
        Statistics statistics = Statistics.of("firstToken", firstTokens, batch.size())
            .with("nll", loss.sum().getFloat(), loss.count());
        if (batch.size() == 2) {
          statistics = statistics.with("pairs", 7.0 * batch.size(), batch.size());
        }
        return new Objective.Loss(loss.sum(), loss.count(), loss.tokens(), statistics);
      };
      TrainingLoop.builder(options, model.getParameters(), batches, withStatistics)
          .runDirectory(run).progress(Progress.lines("test", 4, "steps", line -> { }))
          .build().run(manager);

      List<JsonNode> records = run.readMetrics();
      assertEquals(4, records.size());
      for (int step = 0; step < 4; step++) {
        JsonNode record = records.get(step);
        // The step's six sequences, split 2 + 4, averaged in one go.
        double expectedFirstToken = batches.microBatches(step).stream()
            .flatMap(batch -> batch.inputs().stream()).mapToLong(ids -> ids[0]).average()
            .orElseThrow();
        JsonNode stats = record.get("stats");
        assertEquals(Set.of("firstToken", "nll", "pairs"), fieldNames(stats));
        assertEquals(expectedFirstToken, stats.get("firstToken").asDouble(), 1e-12);
        assertEquals(record.get("loss").asDouble(), stats.get("nll").asDouble(), 1e-6);
        assertEquals(7.0, stats.get("pairs").asDouble(), 0.0);
      }
    }
  }

  @Test
  void supervisedRecordsKeepTheirFieldsAndHaveNoStats() {
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      loop(model, TinyTraining.options(4, 8), run, TinyTraining.batches(TinyTraining.corpus(), 8),
          new ArrayList<>(), null).run(manager);
      for (JsonNode record : run.readMetrics()) {
        assertEquals(Set.of("step", "loss", "lr", "gradNorm", "tokensPerSecond",
            "elapsedSeconds"), fieldNames(record));
      }
    }
  }

  @Test
  void listenerStopEndsTheRunAtThatStepAndARerunDoesNotTrainFurther() throws Exception {
    TrainingOptions options = TinyTraining.options(10, 9); // checkpoints at 5 and 10
    BatchSource<TokenBatch> batches = TinyTraining.batches(TinyTraining.corpus(), 9);
    Map<String, float[]> atStop;
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      List<Long> seen = new ArrayList<>();
      TrainingResult stopped = loop(model, options, run, batches, new ArrayList<>(), metrics -> {
        seen.add(metrics.step());
        return metrics.step() == 3 ? LoopControl.STOP : LoopControl.CONTINUE;
      }).run(manager);
      atStop = GradientsTest.parameters(model.getParameters());

      assertEquals(List.of(1L, 2L, 3L), seen);
      assertTrue(stopped.stopped());
      assertEquals(3, stopped.steps());
      assertEquals(temp.resolve("checkpoint-3"), stopped.checkpoint());
      assertEquals(temp.resolve("checkpoint-3"), run.latestCheckpoint().orElseThrow());
      assertTrue(state(temp.resolve("checkpoint-3")).stopped());
      assertEquals(3, run.readMetrics().size());
    }
    try (RunDirectory run = RunDirectory.open(temp);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      // Other initial weights: the rerun must restore those of step 3 and train no further.
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      List<String> progress = new ArrayList<>();
      List<Long> seen = new ArrayList<>();
      TrainingResult again = loop(model, options, run, batches, progress, metrics -> {
        seen.add(metrics.step());
        return LoopControl.CONTINUE;
      }).run(manager);

      assertTrue(again.stopped());
      assertEquals(3, again.steps());
      assertEquals(3, again.resumedFromStep());
      assertTrue(progress.isEmpty() && seen.isEmpty(), "trained again: " + progress);
      assertEquals(3, run.readMetrics().size());
      Map<String, float[]> now = GradientsTest.parameters(model.getParameters());
      for (String name : atStop.keySet()) {
        assertArrayEquals(atStop.get(name), now.get(name), name);
      }
    }
  }

  @Test
  void stopAtACheckpointStepMarksThatCheckpointAndLogsAStepBetweenRecords() throws Exception {
    TrainingOptions every2 = new TrainingOptions(10, TinyTraining.options(10, 1).schedule(),
        TinyTraining.options(10, 1).adam(), 1.0, 2, 5, 1);
    BatchSource<TokenBatch> batches = TinyTraining.batches(TinyTraining.corpus(), 1);
    try (RunDirectory run = RunDirectory.open(temp.resolve("at-checkpoint"));
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      TrainingResult stopped = loop(model, every2, run, batches, new ArrayList<>(),
          metrics -> metrics.step() == 5 ? LoopControl.STOP : LoopControl.CONTINUE).run(manager);
      assertEquals(5, stopped.steps());
      assertTrue(state(run.latestCheckpoint().orElseThrow()).stopped());
      assertEquals(5, state(run.latestCheckpoint().orElseThrow()).step());
      // Records every 2 steps, plus the stopping step 5 although it is not a logging step.
      assertEquals(List.of(2L, 4L, 5L),
          run.readMetrics().stream().map(r -> r.get("step").asLong()).toList());

      TrainingResult again = loop(model, every2, run, batches, new ArrayList<>(), null)
          .run(manager);
      assertTrue(again.stopped());
      assertEquals(5, again.steps());
    }
  }

  private static TrainingState state(Path checkpoint) throws IOException {
    return Json.mapper().readValue(checkpoint.resolve(TrainingLoop.STATE_FILE).toFile(),
        TrainingState.class);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
