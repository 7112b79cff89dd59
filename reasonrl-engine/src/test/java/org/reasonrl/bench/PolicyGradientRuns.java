package org.reasonrl.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.algo.PolicyOptimization;
import org.reasonrl.algo.PpoSpec;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.Accuracy;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.PairedDifference;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.train.Optimization;

/**
 * Policy-gradient runs on the embedded benchmark from one checkpoint, each judged against the
 * checkpoint itself on the same 1000 test problems with paired bootstrap intervals (maj@1, maj@4,
 * pass@4; n = 8 samples at T = 0.7, as the tiny grid evaluates). Each run is resumable: rerun
 * the same command to continue.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.PolicyGradientRuns \
 *     -Dexec.args="&lt;checkpoint&gt; &lt;work dir&gt; &lt;iterations&gt; &lt;lr&gt; gae:sparse ..."
 * </pre>
 * A run is {@code advantage:reward[:ormCheckpoint]}.
 */
public final class PolicyGradientRuns {

  private static final int EVAL_PROBLEMS = 1000;

  private PolicyGradientRuns() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path checkpoint = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int iterations = Integer.parseInt(args[2]);
    double learningRate = Double.parseDouble(args[3]);
    EvalOptions options = new EvalOptions(4, 8, 0.7, 1.0, 120, 128, true, 42, 1000);
    Path startEval = work.resolve("eval-start");
    new Evaluation(new EvalSpec(checkpoint, DatasetSpec.synthetic("test"), EVAL_PROBLEMS, 0,
        null, options, startEval)).run(line -> { });
    List<String> table = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      String[] parts = args[i].split(":");
      String name = parts[0] + "-" + parts[1];
      Path output = work.resolve(name);
      PpoSpec d = PpoSpec.defaults(checkpoint, output);
      PpoSpec spec = new PpoSpec(checkpoint, d.dataset(), 0, output, parts[0], parts[1],
          parts.length > 2 ? Path.of(parts[2]) : null, 0, iterations, 64,
          RolloutSpec.of(4, 0.7, 120, 128), d.loss(), d.kl(),
          new Optimization(iterations, 64, 32, learningRate, 0, 0.0, 1.0, 1, 1),
          Math.max(1, iterations / 4), d.evalDataset(), 300, RolloutSpec.of(4, 0.7, 120, 128),
          null, 42);
      long start = System.nanoTime();
      PolicyOptimization.Result result = new PolicyOptimization(spec)
          .run(line -> System.out.println("[" + name + "] " + line));
      double minutes = (System.nanoTime() - start) / 60e9;
      Path eval = work.resolve("eval-" + name);
      new Evaluation(new EvalSpec(result.finalModel(), DatasetSpec.synthetic("test"),
          EVAL_PROBLEMS, 0, null, options, eval)).run(line -> { });
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
          "%-16s %6d rollouts %5.1f min", name, result.rollouts(), minutes));
      for (Accuracy metric : List.of(Accuracy.maj1(), Accuracy.majAtK(4),
          Accuracy.passAtK(4))) {
        PairedDifference d1 = PairedDifference.between(eval, startEval, metric, 7, 1000);
        row.append(String.format(Locale.ROOT, " | %s %.3f (start %.3f) %s", d1.metric(), d1.a(),
            d1.b(), d1.format()));
      }
      table.add(row.toString());
      System.out.println(row);
      result.curve().forEach(p -> System.out.printf(Locale.ROOT,
          "  [%s] after %d iterations (%d rollouts): maj@1 %.3f maj@4 %.3f pass@4 %.3f%n", name,
          p.iteration(), p.rollouts(), p.maj1(), p.majAtK(), p.passAtK()));
    }
    System.out.println();
    table.forEach(System.out::println);
  }
}
