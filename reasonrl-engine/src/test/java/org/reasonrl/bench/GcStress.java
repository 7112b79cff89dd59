package org.reasonrl.bench;

import org.reasonrl.algo.Pretrain;

/**
 * Embedded pretraining while another thread forces a garbage collection every few milliseconds,
 * so that memory the native side still uses but Java no longer holds gets freed mid-step. Before
 * {@link org.reasonrl.model.Scalars} this stopped at step 1 with "gradient norm is NaN" (finite
 * loss); now it must finish with the same final loss as an unstressed run of the same steps.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.GcStress -Dexec.args="/tmp/gc-stress 60" \
 *     [-Dreasonrl.threads=1] [-Dreasonrl.gcMillis=100]
 * </pre>
 */
public final class GcStress {

  private GcStress() {}

  /** Arguments as {@link Pretrain#main}: the output directory and the number of steps. */
  public static void main(String[] args) {
    long millis = Long.getLong("reasonrl.gcMillis", 100);
    Thread collector = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gc-stress");
    collector.setDaemon(true);
    collector.start();
    Pretrain.main(args);
  }
}
