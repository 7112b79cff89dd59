package org.reasonrl.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.KvCache;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.runtime.ThreadAutograd;
import org.reasonrl.train.AdamW;
import org.reasonrl.train.Gradients;

/**
 * Throughput of the policy model on this machine: fp32 matmul peak, training tokens/s and MFU
 * (6 · params · tokens/s ÷ the matmul peak measured in the same run), forward-only tokens/s, and
 * greedy decoding tokens/s with and without the KV cache at batch 1 and 64. Beside each it prints
 * the NDArrays created per step ({@link ArrayCounter}: one per op that returns an array, the
 * per-op JNI overhead), so a change's effect on overhead shows without a profiler. The training
 * step is the one {@code TrainingLoop} runs: forward and loss under {@link ThreadAutograd},
 * backward, the project's {@link AdamW}, gradients zeroed.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.ModelBenchmark [-Dexec.args="embedded 10m"] [-Dthreads=1]
 *     [-Duncached=false]  (skips uncached decoding, for quicker A/B rounds)
 * </pre>
 */
public final class ModelBenchmark {

  private static final int TRAIN_BATCH = 16;
  private static final int TRAIN_LENGTH = 128;
  private static final int PROMPT = 16;
  private static final int NEW_TOKENS = 128;

  private ModelBenchmark() {}

  public static void main(String[] args) {
    // Intra-op threads: default 1. On a shared, oversubscribed CPU libtorch's 2-thread parallel
    // regions ran 5-15x slower per op than 1 thread here; pass -Dthreads=0 for all cores.
    RuntimeInfo info = EngineRuntime.start(
        new RuntimeOptions("cpu", Integer.getInteger("threads", 1), null, 1));
    List<String> sizes = args.length == 0 ? List.of("embedded", "10m") : Arrays.asList(args);
    System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op threads, %d cores, load average"
        + " %.1f at start%n", info.engineName(), info.engineVersion(), info.threads(),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    double peak = matmulPeak();
    System.out.printf(Locale.ROOT, "fp32 matmul peak (1024^3, median of 15): %.1f GFLOP/s%n",
        peak / 1e9);
    for (String size : sizes) {
      LlamaConfig config = switch (size) {
        case "embedded" -> LlamaConfig.of(128, 344, 4, 4, 2, 100, 256, false);
        case "10m" -> LlamaConfig.of(384, 1024, 6, 6, 3, 1000, 512, false);
        default -> throw new IllegalArgumentException("size must be embedded or 10m: " + size);
      };
      run(size, config, peak);
    }
  }

  private static void run(String name, LlamaConfig config, double peak) {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
      long params = config.parameterCount();
      System.out.printf(Locale.ROOT, "%n== %s: %,d params (hidden %d, layers %d, heads %d/%d kv,"
          + " ffn %d, vocab %d) ==%n", name, params, config.hiddenSize(),
          config.numHiddenLayers(), config.numAttentionHeads(), config.numKeyValueHeads(),
          config.intermediateSize(), config.vocabSize());
      double[] trainAndPeak = trainingTokensPerSecond(model, manager);
      double train = trainAndPeak[0];
      double mfu = 6.0 * params * train / trainAndPeak[1];
      System.out.printf(Locale.ROOT, "training  (batch %d x %d, fwd+bwd+AdamW): %,.0f tokens/s,"
          + " MFU %.2f (vs %.1f GFLOP/s matmul sampled between the steps; %.2f vs the start peak);"
          + " %,.0f arrays/step%n", TRAIN_BATCH, TRAIN_LENGTH, train, mfu, trainAndPeak[1] / 1e9,
          6.0 * params * train / peak, trainAndPeak[2]);
      double[] forward = forwardTokensPerSecond(model, manager);
      System.out.printf(Locale.ROOT, "forward   (batch %d x %d, no grad):       %,.0f tokens/s;"
          + " %,.0f arrays/step%n", TRAIN_BATCH, TRAIN_LENGTH, forward[0], forward[1]);
      for (int batch : new int[] {1, 64}) {
        double[] cached = decode(model, manager, batch, true);
        double[] uncached = Boolean.parseBoolean(System.getProperty("uncached", "true"))
            ? decode(model, manager, batch, false) : new double[] {Double.NaN, Double.NaN};
        System.out.printf(Locale.ROOT, "decode    batch %2d, %d new tokens: cached %,.0f tokens/s,"
            + " uncached %,.0f tokens/s, speed-up %.1fx; %,.0f arrays/step cached, %,.0f uncached%n",
            batch, NEW_TOKENS, cached[0], uncached[0], cached[0] / uncached[0], cached[1],
            uncached[1]);
      }
    }
  }

  private static final java.util.Map<String, Object[]> AB_MODELS = new java.util.HashMap<>();

  /**
   * One unit of work for an A/B harness that loads two builds of the engine side by side in one
   * JVM and alternates their units, so both see the same machine load: {@code part} is
   * {@code train} (one step), {@code forward} (one batch), {@code decode1} or {@code decode64}
   * (32 cached greedy tokens after the prompt). Returns tokens/s by wall time, tokens/s by this
   * thread's CPU time, and the NDArrays created per step.
   */
  static double[] abUnit(String size, String part) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Object[] state = AB_MODELS.computeIfAbsent(size, s -> {
      LlamaConfig config = s.equals("10m") ? LlamaConfig.of(384, 1024, 6, 6, 3, 1000, 512, false)
          : LlamaConfig.of(128, 344, 4, 4, 2, 100, 256, false);
      NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
      return new Object[] {manager, model,
          new AdamW(AdamW.Config.defaults(), model.getParameters(), manager)};
    });
    NDManager manager = (NDManager) state[0];
    CausalLm model = (CausalLm) state[1];
    AdamW adam = (AdamW) state[2];
    long start = System.nanoTime();
    long cpuStart = cpuNanos();
    double tokens;
    double arrays;
    switch (part) {
      case "train" -> {
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = randomIds(step, TRAIN_BATCH, TRAIN_LENGTH + 1, model.config().vocabSize(),
              1);
          NDArray input = ids.get(new NDIndex(":, :-1"));
          NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
          NDArray mask = step.ones(new Shape(TRAIN_BATCH, TRAIN_LENGTH));
          try (ArrayCounter counter = new ArrayCounter()) {
            try (ThreadAutograd autograd = ThreadAutograd.record()) {
              NDArray logits = model.forward(new ParameterStore(step, false), input, mask, null,
                  true).logits();
              NDArray loss = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg();
              autograd.backward(loss);
            }
            adam.update(1e-4);
            Gradients.zero(model.getParameters());
            model.namedParameters().values().iterator().next().getArray().toFloatArray();
            arrays = counter.count();
          }
        }
        tokens = TRAIN_BATCH * TRAIN_LENGTH;
      }
      case "forward" -> {
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = randomIds(step, TRAIN_BATCH, TRAIN_LENGTH, model.config().vocabSize(), 1);
          NDArray mask = step.ones(new Shape(TRAIN_BATCH, TRAIN_LENGTH));
          try (ArrayCounter counter = new ArrayCounter()) {
            model.forward(new ParameterStore(step, false), ids, mask, null, false).logits()
                .toFloatArray();
            arrays = counter.count();
          }
        }
        tokens = TRAIN_BATCH * TRAIN_LENGTH;
      }
      case "decode1", "decode64" -> {
        int batch = part.equals("decode1") ? 1 : 64;
        arrays = decode(model, manager, batch, true, 32)[1];
        tokens = batch * 32;
      }
      default -> throw new IllegalArgumentException(part);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpuStart) / 1e9;
    return new double[] {tokens / wall, tokens / cpu, arrays};
  }

  /**
   * For comparing two builds' numerics: forward logits of a fresh embedded model on fixed ids,
   * then every weight after two training steps, as one array.
   */
  static float[] abNumerics() {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    LlamaConfig config = LlamaConfig.of(128, 344, 4, 4, 2, 100, 256, false);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        AdamW adam = new AdamW(AdamW.Config.defaults(), null, manager)) {
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
      List<Float> out = new ArrayList<>();
      try (NDManager step = manager.newSubManager()) {
        NDArray ids = randomIds(step, 2, 32, config.vocabSize(), 7);
        for (float f : model.forward(new ParameterStore(step, false), ids,
            step.ones(new Shape(2, 32)), null, false).logits().toFloatArray()) {
          out.add(f);
        }
      }
      AdamW optimizer = new AdamW(AdamW.Config.defaults(), model.getParameters(), manager);
      for (int i = 0; i < 2; i++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = randomIds(step, 4, 33, config.vocabSize(), i);
          NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
          try (ThreadAutograd autograd = ThreadAutograd.record()) {
            NDArray logits = model.forward(new ParameterStore(step, false),
                ids.get(new NDIndex(":, :-1")), step.ones(new Shape(4, 32)), null, true).logits();
            autograd.backward(
                logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg());
          }
          optimizer.update(1e-3);
          Gradients.zero(model.getParameters());
        }
      }
      model.namedParameters().values().forEach(p -> {
        for (float f : p.getArray().toFloatArray()) {
          out.add(f);
        }
      });
      float[] result = new float[out.size()];
      for (int i = 0; i < result.length; i++) {
        result[i] = out.get(i);
      }
      return result;
    }
  }

  private static double matmulPeak() {
    int n = 1024;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray a = manager.randomNormal(new Shape(n, n));
      NDArray b = manager.randomNormal(new Shape(n, n));
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < 18; i++) {
        try (NDManager step = manager.newSubManager()) {
          long start = System.nanoTime();
          NDArray c = a.matMul(b);
          c.toFloatArray(); // forces completion
          if (i >= 3) {
            seconds.add((System.nanoTime() - start) / 1e9);
          }
          c.close();
        }
      }
      return 2.0 * n * n * n / median(seconds);
    }
  }

  private static NDArray randomIds(NDManager manager, int batch, int length, int vocab, long seed) {
    Random random = new Random(seed);
    int[] ids = new int[batch * length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(vocab);
    }
    return manager.create(ids, new Shape(batch, length));
  }

  /**
   * Median training tokens/s and, sampled between the same steps, the median matmul FLOP/s: on a
   * machine whose load changes by the minute, only interleaved samples make a fair ratio.
   */
  static double[] trainingTokensPerSecond(CausalLm model, NDManager manager) {
    List<Double> peaks = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    List<Double> cpuSeconds = new ArrayList<>();
    List<Double> arrays = new ArrayList<>();
    try (AdamW adam = new AdamW(AdamW.Config.defaults(), model.getParameters(), manager)) {
      for (int i = 0; i < 8; i++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = randomIds(step, TRAIN_BATCH, TRAIN_LENGTH + 1, model.config().vocabSize(),
              i);
          NDArray input = ids.get(new NDIndex(":, :-1"));
          NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
          NDArray mask = step.ones(new Shape(TRAIN_BATCH, TRAIN_LENGTH));
          long start = System.nanoTime();
          long cpuStart = cpuNanos();
          try (ArrayCounter counter = new ArrayCounter()) {
            try (ThreadAutograd autograd = ThreadAutograd.record()) {
              ParameterStore ps = new ParameterStore(step, false);
              NDArray logits = model.forward(ps, input, mask, null, true).logits();
              NDArray loss = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg();
              autograd.backward(loss);
            }
            adam.update(1e-4);
            Gradients.zero(model.getParameters());
            model.namedParameters().values().iterator().next().getArray().toFloatArray();
            arrays.add((double) counter.count());
          }
          if (i >= 2) {
            seconds.add((System.nanoTime() - start) / 1e9);
            cpuSeconds.add((cpuNanos() - cpuStart) / 1e9);
            peaks.add(matmulSample(step));
          }
        }
      }
    }
    return new double[] {TRAIN_BATCH * TRAIN_LENGTH / median(seconds), median(peaks),
        median(arrays),
        TRAIN_BATCH * TRAIN_LENGTH / median(cpuSeconds)};
  }

  /** FLOP/s of one 1024^3 fp32 matmul (median of three). */
  private static double matmulSample(NDManager manager) {
    int n = 1024;
    List<Double> seconds = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.randomNormal(new Shape(n, n));
      NDArray b = scope.randomNormal(new Shape(n, n));
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        a.matMul(b).toFloatArray();
        seconds.add((System.nanoTime() - start) / 1e9);
      }
    }
    return 2.0 * n * n * n / median(seconds);
  }

  /** Median forward tokens/s and NDArrays created per forward. */
  static double[] forwardTokensPerSecond(CausalLm model, NDManager manager) {
    List<Double> seconds = new ArrayList<>();
    List<Double> cpuSeconds = new ArrayList<>();
    List<Double> arrays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      try (NDManager step = manager.newSubManager()) {
        NDArray ids = randomIds(step, TRAIN_BATCH, TRAIN_LENGTH, model.config().vocabSize(), i);
        NDArray mask = step.ones(new Shape(TRAIN_BATCH, TRAIN_LENGTH));
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        try (ArrayCounter counter = new ArrayCounter()) {
          model.forward(new ParameterStore(step, false), ids, mask, null, false).logits()
              .toFloatArray();
          arrays.add((double) counter.count());
        }
        if (i >= 2) {
          seconds.add((System.nanoTime() - start) / 1e9);
          cpuSeconds.add((cpuNanos() - cpuStart) / 1e9);
        }
      }
    }
    return new double[] {TRAIN_BATCH * TRAIN_LENGTH / median(seconds), median(arrays),
        TRAIN_BATCH * TRAIN_LENGTH / median(cpuSeconds)};
  }

  /**
   * Greedy decoding of NEW_TOKENS after a PROMPT-token prompt; returns new tokens per second,
   * the median NDArrays created per step after the first (prefill) one, and new tokens per
   * second of this thread's CPU time.
   */
  private static double[] decode(CausalLm model, NDManager manager, int batch, boolean cached) {
    return decode(model, manager, batch, cached, NEW_TOKENS);
  }

  private static double[] decode(CausalLm model, NDManager manager, int batch, boolean cached,
      int newTokens) {
    int vocab = model.config().vocabSize();
    try (NDManager session = manager.newSubManager()) {
      int[][] sequence = new int[batch][PROMPT + newTokens];
      Random random = new Random(batch);
      for (int[] row : sequence) {
        for (int t = 0; t < PROMPT; t++) {
          row[t] = random.nextInt(vocab);
        }
      }
      KvCache cache = cached ? model.newCache(session, batch, PROMPT + newTokens) : null;
      List<Double> arrays = new ArrayList<>();
      long start = System.nanoTime();
      long cpuStart = cpuNanos();
      for (int length = PROMPT; length < PROMPT + newTokens; length++) {
        try (NDManager step = session.newSubManager();
            ArrayCounter counter = new ArrayCounter()) {
          boolean prefill = length == PROMPT;
          int from = cached && !prefill ? length - 1 : 0;
          int[] ids = new int[batch * (length - from)];
          for (int b = 0; b < batch; b++) {
            System.arraycopy(sequence[b], from, ids, b * (length - from), length - from);
          }
          NDArray input = step.create(ids, new Shape(batch, length - from));
          NDArray mask = step.ones(new Shape(batch, length), DataType.INT32);
          NDArray logits = model.forward(new ParameterStore(step, false), input, mask, cache,
              false, false).logits();
          long[] next = logits.get(new NDIndex(":, -1, :")).argMax(-1).toLongArray();
          for (int b = 0; b < batch; b++) {
            sequence[b][length] = (int) next[b];
          }
          if (!prefill) {
            arrays.add((double) counter.count());
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
      return new double[] {(double) batch * newTokens / seconds, median(arrays),
          (double) batch * newTokens / cpuSeconds};
    }
  }

  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
