package org.reasonrl.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.rollout.StopCondition;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.runtime.SeedStream;

/**
 * Sampling throughput of the embedded-size policy on embedded-benchmark prompts: generated
 * tokens/s and rollouts/s of {@link Sampler} (KV-cached, temperature 1, 128 new tokens) at batch
 * 1, 16 and 64, against the teacher-forced forward throughput on the very same sequences — the
 * upper bound, since sampling must compute at least those forwards. Medians of several runs.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.SamplingBenchmark [-Dthreads=1] [-Drepeats=3]
 * </pre>
 */
public final class SamplingBenchmark {

  private static final int NEW_TOKENS = 128;

  private SamplingBenchmark() {}

  public static void main(String[] args) throws IOException {
    RuntimeInfo info = EngineRuntime.start(
        new RuntimeOptions("cpu", Integer.getInteger("threads", 1), null, 1));
    int repeats = Integer.getInteger("repeats", 3);
    Path dir = Files.createTempDirectory("sampling-bench");
    Path tokenizerFile = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    List<Problem> problems = Datasets.load(DatasetSpec.synthetic("test")).problems();
    System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op threads, load average %.1f%n",
        info.engineName(), info.engineVersion(), info.threads(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      LlamaConfig config = LlamaConfig.embeddedDefault(tokenizer.vocabSize());
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
      Sampler sampler = new Sampler(model, tokenizer);
      System.out.printf(Locale.ROOT, "model: %,d params; %d new tokens per row, temperature 1%n",
          config.parameterCount(), NEW_TOKENS);
      System.out.println("batch  rows  sampled tok/s  rollouts/s  forward-bound tok/s  ratio");
      for (int batch : new int[] {1, 16, 64}) {
        int rows = Math.max(batch, 8);
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          prompts.add(PromptFormat.zeroShot().prompt(problems.get(i).question()));
        }
        SamplingOptions options =
            new SamplingOptions(1.0, 1, NEW_TOKENS, batch, StopCondition.NONE);
        sampler.sample(prompts, 1, options, 0, null); // warm-up
        double[] sampleSeconds = new double[repeats];
        double[] forwardSeconds = new double[repeats];
        long generated = 0;
        for (int r = 0; r < repeats; r++) {
          long start = System.nanoTime();
          List<Rollout> rollouts = sampler.sample(prompts, 1, options, r, null);
          sampleSeconds[r] = (System.nanoTime() - start) / 1e9;
          generated = rollouts.stream().mapToLong(x -> x.tokens().length).sum();
          forwardSeconds[r] = teacherForced(model, rollouts, batch, manager);
        }
        double sampled = generated / median(sampleSeconds);
        double bound = generated / median(forwardSeconds);
        System.out.printf(Locale.ROOT, "%5d  %4d  %13.0f  %10.1f  %19.0f  %5.2f%n", batch, rows,
            sampled, rows / median(sampleSeconds), bound, sampled / bound);
      }
    }
  }

  /** Seconds for one left-padded forward (no cache, no gradients) per batch of the sequences. */
  private static double teacherForced(CausalLm model, List<Rollout> rollouts, int batch,
      NDManager manager) {
    long start = System.nanoTime();
    for (int from = 0; from < rollouts.size(); from += batch) {
      List<Rollout> part = rollouts.subList(from, Math.min(rollouts.size(), from + batch));
      List<int[]> sequences = part.stream().map(Rollout::sequence).toList();
      int width = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
      int[][] ids = new int[part.size()][width];
      int[][] mask = new int[part.size()][width];
      for (int i = 0; i < part.size(); i++) {
        int[] sequence = sequences.get(i);
        int offset = width - sequence.length;
        System.arraycopy(sequence, 0, ids[i], offset, sequence.length);
        Arrays.fill(mask[i], offset, width, 1);
      }
      try (NDManager step = manager.newSubManager()) {
        model.forward(new ParameterStore(step, false), step.create(ids), step.create(mask), null,
            false).logits().sum().getFloat();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
