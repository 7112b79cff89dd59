package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;

/**
 * A small but complete training run over {@link TinyLm}, the way an algorithm uses the core:
 * shuffled data via {@link ShuffledOrder}, two micro-batches per step, masked next-token loss.
 * Run in a forked JVM by {@link TrainingResumeTest}:
 * {@code TinyTraining <runDir> <steps> <seed> <sleepMillisPerStep>}.
 */
public final class TinyTraining {

  static final int VOCAB = 8;
  static final int HIDDEN = 16;
  static final int SEQUENCES = 24;
  static final int LENGTH = 6;
  static final int PROMPT = 2;

  /** Sequences that follow a simple rule (so there is something to learn), prompt unmasked. */
  static TokenBatch corpus() {
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    List<float[]> masks = new ArrayList<>();
    for (int s = 0; s < SEQUENCES; s++) {
      long[] sequence = new long[LENGTH + 1];
      // Start anywhere; then a fixed successor rule a bigram model can learn. Every third
      // sequence breaks the rule at its second token, which is prompt: the mask must skip it.
      sequence[0] = s % VOCAB;
      sequence[1] = s % 3 == 0 ? (s / 3) % VOCAB : (3 * sequence[0] + 1) % VOCAB;
      for (int t = 2; t <= LENGTH; t++) {
        sequence[t] = (3 * sequence[t - 1] + 1) % VOCAB;
      }
      float[] mask = new float[LENGTH];
      Arrays.fill(mask, PROMPT - 1, LENGTH, 1f);
      inputs.add(Arrays.copyOfRange(sequence, 0, LENGTH));
      targets.add(Arrays.copyOfRange(sequence, 1, LENGTH + 1));
      masks.add(mask);
    }
    return new TokenBatch(inputs, targets, masks);
  }

  static TrainingOptions options(long steps, long seed) {
    return new TrainingOptions(steps,
        new LearningRateSchedule(0.05, 3, steps, LearningRateSchedule.Decay.COSINE, 0.005),
        new AdamW.Config(0.9, 0.99, 1e-8, 0.01, false), 1.0, 1, 5, seed);
  }

  /** Batch of step s: six sequences in shuffled order, as micro-batches of two and four. */
  static BatchSource<TokenBatch> batches(TokenBatch corpus, long seed) {
    ShuffledOrder order = new ShuffledOrder(seed, corpus.size());
    return step -> {
      int[] indices = order.batch(step, 6);
      List<long[]> inputs = new ArrayList<>();
      List<long[]> targets = new ArrayList<>();
      List<float[]> masks = new ArrayList<>();
      for (int index : indices) {
        inputs.add(corpus.inputs().get(index));
        targets.add(corpus.targets().get(index));
        masks.add(corpus.masks().get(index));
      }
      TokenBatch batch = new TokenBatch(inputs, targets, masks);
      return List.of(batch.slice(0, 2), batch.slice(2, 6));
    };
  }

  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long seed = Long.parseLong(args[2]);
    long sleepMillis = Long.parseLong(args[3]);
    RuntimeInfo runtime = EngineRuntime.start(new RuntimeOptions("cpu", 1, null, seed));
    TrainingOptions options = options(steps, seed);
    try (RunDirectory run = RunDirectory.open(runDir);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      System.out.println("pid=" + ProcessHandle.current().pid());
      RunRecord record = new RunRecord(run, "tiny", runtime, seed, options);
      TinyLm model = TinyLm.create(manager, VOCAB, HIDDEN,
          SeedStream.of(seed, "tiny-lm"));
      TrainingLoop<TokenBatch> loop = TrainingLoop.builder(options, model.getParameters(),
              batches(corpus(), seed), TokenBatch.objective(model))
          .runDirectory(run)
          .progress(Progress.lines("tiny", steps, "steps", System.out::println))
          .listener(metrics -> sleep(sleepMillis))
          .build();
      TrainingResult result = record.stage("train", () -> loop.run(manager));
      run.writeResult(Map.of("steps", result.steps(), "finalLoss", result.finalLoss()));
      record.finish("completed");
      System.out.println("resumedFrom=" + result.resumedFromStep());
      System.out.println("finalLoss=" + result.finalLoss());
    }
  }

  private static LoopControl sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return LoopControl.CONTINUE;
  }

  private TinyTraining() {}
}
