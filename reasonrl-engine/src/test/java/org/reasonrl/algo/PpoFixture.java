package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/** {@code PpoFixture <policy> <data dir> <output> <advantage>}: a toy PPO run for kill tests. */
public final class PpoFixture {

  static final int ITERATIONS = 4;

  private PpoFixture() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    DatasetSpec data = new DatasetSpec(DatasetSpec.SYNTHETIC, Path.of(args[1]), "train", true);
    // An adaptive KL controller, so its state must survive the kill too.
    PpoSpec spec = PpoFixtures.withKl(PpoFixtures.spec(Path.of(args[0]), data, Path.of(args[2]),
        args[3], ITERATIONS, 1e-2), new PpoSpec.KlPenalty("k1", 0.05, "reward", 0.01, 100, 0));
    PolicyOptimization.Result result = new PolicyOptimization(spec, PpoFixtures.evenTokens())
        .run(System.out::println);
    System.out.println("iterations " + result.iterations());
  }
}
