package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/** {@code RcrlFixture <fixture dir> <output>}: the scripted RCRL run of the kill tests. */
public final class RcrlFixture {

  private RcrlFixture() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    RcrlSpec spec = RcrlFixtures.killSpec(Path.of(args[0]), Path.of(args[1]));
    ReturnConditionedRl.Result result = new ReturnConditionedRl(spec).run(System.out::println);
    System.out.println("rcrl steps " + result.fineTuneSteps());
  }
}
