package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/** {@code RcrlFixture <fixture dir> <output> <steps>}: a scripted RCRL run for kill tests. */
public final class RcrlFixture {

  private RcrlFixture() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path dir = Path.of(args[0]);
    RcrlSpec spec = RcrlFixtures.spec(dir, RcrlFixtures.dataset(dir), Path.of(args[1]),
        Long.parseLong(args[2]));
    ReturnConditionedRl.Result result = new ReturnConditionedRl(spec).run(System.out::println);
    System.out.println("rcrl steps " + result.fineTuneSteps());
  }
}
