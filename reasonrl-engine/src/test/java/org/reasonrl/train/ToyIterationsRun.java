package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.train.ToyPolicyGradient.MicroBatch;
import org.reasonrl.train.ToyPolicyGradient.Rollouts;

/**
 * {@link ToyPolicyGradient} under {@link RolloutIterations} in its own JVM, single-threaded and
 * seeded so that every run starts from the same weights. Run by {@link RolloutIterationsKillTest}:
 * {@code ToyIterationsRun <runDir> <iterations> <seed> <sleepMillisPerMicroBatch>}.
 */
public final class ToyIterationsRun {

  public static void main(String[] args) {
    Path runDir = Path.of(args[0]);
    long iterations = Long.parseLong(args[1]);
    long seed = Long.parseLong(args[2]);
    long sleepMillis = Long.parseLong(args[3]);
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, seed));
    try (RunDirectory run = RunDirectory.open(runDir);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      TinyLm model = TinyLm.create(manager, TinyTraining.VOCAB, TinyTraining.HIDDEN,
          SeedStream.of(0, "tiny-lm"));
      AtomicInteger builds = new AtomicInteger();
      Objective<MicroBatch> objective = ToyPolicyGradient.objective(model);
      Objective<MicroBatch> slow = (batch, parameters, m) -> {
        sleep(sleepMillis);
        return objective.compute(batch, parameters, m);
      };
      IterationResult result = RolloutIterations.builder(
              ToyPolicyGradient.options(iterations, seed), model.getParameters(),
              ToyPolicyGradient.builder(model, seed, builds),
              RolloutIterations.BufferCodec.json(Rollouts.class), ToyPolicyGradient.plan(seed),
              slow)
          .runDirectory(run)
          .progress(Progress.lines("toy", iterations, "iterations", System.out::println))
          .build()
          .run(manager);
      System.out.println("builds=" + builds.get());
      System.out.println("resumedFrom=" + result.resumedFromIteration());
    }
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ToyIterationsRun() {}
}
