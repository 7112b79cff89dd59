package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/** {@code SftFixture <base checkpoint> <dataset dir> <output>}: a tiny SFT run for kill tests. */
public final class SftFixture {

  static final long STEPS = 60;
  static final int EVAL_EVERY = 20;

  private SftFixture() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    DatasetSpec data = new DatasetSpec(DatasetSpec.SYNTHETIC, Path.of(args[1]), "train", true);
    Sft.Result result = new Sft(SupervisedFixtures.tinySft(Path.of(args[0]), data,
        Path.of(args[2]), STEPS, EVAL_EVERY, 0)).run(System.out::println);
    System.out.println("best step " + result.bestStep());
  }
}
