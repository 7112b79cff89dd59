package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/** {@code EiFixture <policy> <data dir> <output>}: a small two-round EI run for kill tests. */
public final class EiFixture {

  private EiFixture() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    DatasetSpec data = new DatasetSpec(DatasetSpec.GSM8K, Path.of(args[1]), "train", true);
    ExpertIteration.Result result = new ExpertIteration(EiFixtures.spec(Path.of(args[0]), data,
        Path.of(args[2]), 2, 40)).run(System.out::println);
    System.out.println("rounds " + result.rounds().size());
  }
}
