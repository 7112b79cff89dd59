package org.reasonrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two jobs train at once in one JVM (Maven -T 2), each on its own thread. */
class ThreadAutogradTest {

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /**
   * loss = a·w0 + 2a·w1 + 3a·b: gradient (a, 2a) and (3a), by hand. Both threads record at the
   * same time (DJL's collector refuses a second one), then update their parameters in place
   * (which fails if grad mode were left on).
   */
  private static void trainOnce(float a, CyclicBarrier bothRecording) throws Exception {
    EngineRuntime.ensureStarted();
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Linear linear = Linear.builder().setUnits(1).build();
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      ParameterList parameters = linear.getParameters();
      NDArray w = parameters.get("weight").getArray();
      NDArray b = parameters.get("bias").getArray();
      float[] before = w.toFloatArray();
      try (NDManager scope = manager.newSubManager();
          ThreadAutograd autograd = ThreadAutograd.record()) {
        bothRecording.await(60, TimeUnit.SECONDS);
        NDArray coefficients = scope.create(new float[] {a, 2 * a}, new Shape(1, 2));
        NDArray loss = w.mul(coefficients).sum().add(b.sum().mul(scope.create(3 * a)));
        bothRecording.await(60, TimeUnit.SECONDS);
        autograd.backward(loss);
      }
      assertArrayEquals(new float[] {a, 2 * a}, w.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {3 * a}, b.getGradient().toFloatArray(), 1e-6f);
      w.subi(w.getGradient());
      assertArrayEquals(new float[] {before[0] - a, before[1] - 2 * a}, w.toFloatArray(), 1e-6f);
    }
  }

  @Test
  void twoThreadsRecordAtOnceAndEachGetsItsOwnGradients() throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    AtomicReference<Throwable> first = new AtomicReference<>();
    AtomicReference<Throwable> second = new AtomicReference<>();
    Thread one = new Thread(() -> run(() -> trainOnce(1f, barrier), first));
    Thread two = new Thread(() -> run(() -> trainOnce(5f, barrier), second));
    one.start();
    two.start();
    one.join();
    two.join();
    assertNull(first.get(), () -> "thread one: " + first.get());
    assertNull(second.get(), () -> "thread two: " + second.get());
  }

  private interface Job {
    void run() throws Exception;
  }

  private static void run(Job job, AtomicReference<Throwable> failure) {
    try {
      job.run();
    } catch (Throwable t) {
      failure.set(t);
    }
  }
}
