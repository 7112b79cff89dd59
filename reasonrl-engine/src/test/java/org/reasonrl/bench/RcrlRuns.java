package org.reasonrl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.algo.RcrlSpec;
import org.reasonrl.algo.ReturnConditionedRl;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.Accuracy;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.PairedDifference;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.train.Optimization;

/**
 * Return-Conditioned RL from the tiny grid's SFT model, labelled by continuations of its EI
 * policy and by its ORM, each policy evaluated as the grid evaluates (1000 test problems, n = 8
 * at T = 0.7, K = 4, ORM rerank) with {@code [GOOD]} and with {@code [BAD]} before each step, and
 * compared with paired bootstrap intervals against the grid's SFT and EI evaluations. Resumable:
 * rerun the same command to continue. A run {@code labels:steps} fine-tunes for {@code steps}
 * instead of an EI round's 200, on the solutions and labels of the run {@code labels} (copied
 * from it when it exists: they do not depend on the fine-tune).
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.RcrlRuns \
 *     -Dexec.args="&lt;grid runs dir&gt; &lt;work dir&gt; rollouts orm"
 * </pre>
 */
public final class RcrlRuns {

  private static final int EVAL_PROBLEMS = 1000;

  private RcrlRuns() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path runs = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Path sft = runs.resolve("sft/model");
    Path orm = runs.resolve("orm/model");
    EvalOptions options = new EvalOptions(4, 8, 0.7, 1.0, 120, 128, true, 42, 1000);
    List<String> table = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String[] parts = args[i].split(":");
      String labels = parts[0];
      String name0 = "rcrl-" + args[i].replace(':', '-');
      Path output = work.resolve("rcrl-" + args[i].replace(':', '-'));
      RcrlSpec d = RcrlSpec.defaults(sft, output);
      Optimization optimization = d.optimization();
      if (parts.length > 1) {
        optimization = optimization.withSteps(Long.parseLong(parts[1]));
        reuseLabels(work.resolve("rcrl-" + labels), output);
      }
      boolean byOrm = labels.equals(RcrlSpec.ORM_LABELS);
      RcrlSpec spec = new RcrlSpec(sft, labels, byOrm ? null : runs.resolve("ei/model"),
          byOrm ? orm : null, d.threshold(), d.continuations(), d.dataset(), d.evalDataset(),
          output, d.maxQuestions(), d.rollout(), optimization, 300,
          RolloutSpec.of(4, 0.7, 120, 128), d.seed());
      long start = System.nanoTime();
      ReturnConditionedRl.Result result = new ReturnConditionedRl(spec)
          .run(line -> System.out.println("[" + name0 + "] " + line));
      double minutes = (System.nanoTime() - start) / 60e9;
      for (String condition : List.of(ReturnConditionedRl.GOOD, ReturnConditionedRl.BAD)) {
        String name = name0 + (condition.equals(ReturnConditionedRl.GOOD) ? "-good" : "-bad");
        Path eval = work.resolve("eval-" + name);
        new Evaluation(new EvalSpec(result.finalModel(), DatasetSpec.synthetic("test"),
            EVAL_PROBLEMS, 0, orm, options, eval, condition)).run(line -> { });
        for (String baseline : List.of("sft", "ei")) {
          table.add(row(name + " vs " + baseline, eval, runs.resolve("eval-" + baseline),
              result.rollouts(), minutes));
        }
      }
      table.add(row(name0 + " good vs bad", work.resolve("eval-" + name0 + "-good"),
          work.resolve("eval-" + name0 + "-bad"), result.rollouts(), minutes));
      System.out.println(result.sampling());
      System.out.println(result.labelling());
      table.forEach(System.out::println);
    }
    System.out.println();
    table.forEach(System.out::println);
  }

  /** Copies the solutions and labels of a finished run into a new one's directory. */
  private static void reuseLabels(Path from, Path to) {
    try {
      if (!Files.isRegularFile(from.resolve(ReturnConditionedRl.LABELLING_FILE))
          || Files.exists(to.resolve(ReturnConditionedRl.LABELLING_FILE))) {
        return;
      }
      Files.createDirectories(to);
      for (String file : List.of(ReturnConditionedRl.SOLUTIONS_FILE,
          ReturnConditionedRl.SAMPLING_FILE, ReturnConditionedRl.LABELLED_FILE,
          ReturnConditionedRl.LABELLING_FILE)) {
        Files.copy(from.resolve(file), to.resolve(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String row(String name, Path eval, Path baseline, long rollouts,
      double minutes) {
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
        "%-28s %6d rollouts %5.1f min", name, rollouts, minutes));
    for (Accuracy metric : List.of(Accuracy.maj1(), Accuracy.majAtK(4), Accuracy.rerankAtK(4),
        Accuracy.passAtK(4))) {
      PairedDifference d = PairedDifference.between(eval, baseline, metric, 7, 1000);
      row.append(String.format(Locale.ROOT, " | %s %.3f (%.3f) %s", d.metric(), d.a(), d.b(),
          d.format()));
    }
    return row.toString();
  }
}
