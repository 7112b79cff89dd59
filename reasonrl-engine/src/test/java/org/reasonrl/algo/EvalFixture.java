package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/**
 * {@code EvalFixture <checkpoint> <dataset dir> <output>}: a small evaluation for kill tests,
 * in chunks of 8 rows (greedy: 6 chunks of 8 prompts; samples: 24 chunks of 2 prompts).
 */
public final class EvalFixture {

  static final EvalOptions OPTIONS = new EvalOptions(2, 4, 1.0, 1.0, 24, 4, true, 5, 100);

  private EvalFixture() {}

  public static void main(String[] args) {
    System.setProperty("reasonrl.evalChunkRows", "8");
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    DatasetSpec data = new DatasetSpec(DatasetSpec.SYNTHETIC, Path.of(args[1]), "test", true);
    Evaluation.Report report = new Evaluation(new EvalSpec(Path.of(args[0]), data, 0, 0, null,
        OPTIONS, Path.of(args[2]))).run(System.out::println);
    System.out.println("rollouts " + report.rollouts());
  }
}
