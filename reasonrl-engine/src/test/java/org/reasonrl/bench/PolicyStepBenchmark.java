package org.reasonrl.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reasonrl.algo.PolicyOptimization;
import org.reasonrl.algo.PpoSpec;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.train.Optimization;

/**
 * The time split of a policy-gradient iteration at the checkpoint's size: generation, reward,
 * the no-grad forwards (policy + reference, + critic), and the update, for PPO (GAE, shared
 * critic) and GRPO on the embedded benchmark; and the RL forwards' and updates' tokens/s as a
 * share of the model benchmark's forward and training tokens/s, measured in the same JVM.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.PolicyStepBenchmark \
 *     -Dexec.args="&lt;checkpoint&gt; &lt;work dir&gt; [iterations]"
 * </pre>
 */
public final class PolicyStepBenchmark {

  private PolicyStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    RuntimeInfo info = EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path checkpoint = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.out.printf(Locale.ROOT, "engine %s %s, %d intra-op threads, load average %.1f%n",
        info.engineName(), info.engineVersion(), info.threads(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    double forward;
    double training;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = Checkpoint.load(checkpoint, manager);
      training = ModelBenchmark.trainingTokensPerSecond(model, manager)[0];
      forward = ModelBenchmark.forwardTokensPerSecond(model, manager)[0];
    }
    System.out.printf(Locale.ROOT, "model benchmark at this size: forward %,.0f tokens/s,"
        + " training %,.0f tokens/s%n", forward, training);
    for (String advantage : List.of("gae", "grpo")) {
      Path output = work.resolve(advantage);
      PpoSpec d = PpoSpec.defaults(checkpoint, output);
      PpoSpec spec = new PpoSpec(checkpoint, d.dataset(), 0, output, advantage, "sparse", null, 0,
          iterations, 64, RolloutSpec.of(4, 0.7, 120, 128), d.loss(), d.kl(),
          new Optimization(iterations, 64, 16, 1e-5, 0, 0.0, 1.0, 1, 1), 0, d.evalDataset(), 20,
          RolloutSpec.of(1, 0.7, 120, 128), null, 42);
      new PolicyOptimization(spec).run(line -> { });
      report(advantage, output, forward, training, spec.loss().epochs());
    }
  }

  private static void report(String advantage, Path output, double forward, double training,
      int epochs) throws Exception {
    List<Double> generation = new ArrayList<>();
    List<Double> reward = new ArrayList<>();
    List<Double> forwards = new ArrayList<>();
    List<Double> update = new ArrayList<>();
    List<Double> updateRate = new ArrayList<>();
    List<Double> forwardRate = new ArrayList<>();
    int passes = 2; // policy and reference; the shared critic reads the policy's trunk
    for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
      JsonNode record = Json.mapper().readTree(line);
      JsonNode stats = record.path("stats");
      generation.add(stats.path("time/generation").asDouble());
      reward.add(stats.path("time/reward").asDouble());
      forwards.add(stats.path("time/forward").asDouble());
      update.add(record.path("updateSeconds").asDouble());
      updateRate.add(record.path("tokensPerSecond").asDouble());
      // Tokens the forwards read: each trained sequence (prompt + response) once per pass. The
      // updates' tokens/s counts the same tokens, epochs times over.
      double tokensPerEpoch = record.path("tokensPerSecond").asDouble()
          * record.path("updateSeconds").asDouble() / epochs;
      forwardRate.add(passes * tokensPerEpoch / stats.path("time/forward").asDouble());
    }
    double g = ModelBenchmark.median(generation);
    double r = ModelBenchmark.median(reward);
    double f = ModelBenchmark.median(forwards);
    double u = ModelBenchmark.median(update);
    double total = g + r + f + u;
    System.out.printf(Locale.ROOT, "%n== %s, median of %d iterations (64 questions x K=4) ==%n"
            + "generation %.2f s (%.0f%%), reward %.3f s (%.1f%%), reference+old forward %.2f s"
            + " (%.0f%%), update %.2f s (%.0f%%)%n"
            + "forwards %,.0f tokens/s = %.2f of the model forward; update %,.0f tokens/s = %.2f"
            + " of model training%n",
        advantage, generation.size(), g, 100 * g / total, r, 100 * r / total, f, 100 * f / total,
        u, 100 * u / total, ModelBenchmark.median(forwardRate),
        ModelBenchmark.median(forwardRate) / forward, ModelBenchmark.median(updateRate),
        ModelBenchmark.median(updateRate) / training);
  }
}
