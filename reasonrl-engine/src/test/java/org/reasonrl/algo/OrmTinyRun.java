package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.train.LoopControl;

/**
 * One {@code reasonrl:orm} run on the {@link OrmFixtures} (already written to the fixture
 * directory), single-threaded so reruns are bit-for-bit comparable. Run in a forked JVM by
 * {@link OrmResumeTest}: {@code OrmTinyRun <fixtureDir> <outputDir> <steps> <seed> <sleepMillis>}.
 */
public final class OrmTinyRun {

  public static void main(String[] args) {
    Path fixture = Path.of(args[0]);
    Path output = Path.of(args[1]);
    long steps = Long.parseLong(args[2]);
    long seed = Long.parseLong(args[3]);
    long sleepMillis = Long.parseLong(args[4]);
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, seed));
    System.out.println("pid=" + ProcessHandle.current().pid());
    OrmTraining.Report report = new OrmTraining(OrmFixtures.spec(fixture, output, steps, seed, 5))
        .withStepListener(metrics -> sleep(sleepMillis))
        .run(System.out::println);
    System.out.println("samplesReused=" + report.samplesReused());
    System.out.println("resumedFrom=" + report.training().resumedFromStep());
  }

  private static LoopControl sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return LoopControl.CONTINUE;
  }

  private OrmTinyRun() {}
}
