package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
              .listener(
                  metrics -> afterStep.add(GradientsTest.parameters(model.getParameters())))
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
          metrics -> liveArrays.add(manager.getManagedArrays().size())).run(manager);
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
}
