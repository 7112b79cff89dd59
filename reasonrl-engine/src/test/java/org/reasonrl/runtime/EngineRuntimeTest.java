package org.reasonrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineRuntimeTest {

  @Test
  void startsOfflineOnPytorchAndComputesAMatrixProduct() {
    RuntimeInfo info = EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 7));
    assertEquals("PyTorch", info.engineName());
    assertTrue(info.offline());
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray b = manager.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2));
      // Worked by hand: [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154].
      assertArrayEquals(new float[] {58, 64, 139, 154}, a.matMul(b).toFloatArray());
    }
  }

  /**
   * Whichever start came first in this JVM fixed the thread count; a later start asking for
   * another must get the count in force, on every thread (a Maven -T worker asks from its own).
   */
  @Test
  void recordsTheThreadCountInForceNotALaterRequest() throws Exception {
    RuntimeInfo first = EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 7));
    assertEquals(JniUtils.getNumThreads(), first.threads());
    RuntimeInfo later = EngineRuntime.start(
        new RuntimeOptions("cpu", first.threads() + 1, null, 8));
    assertEquals(first, later, "a later start changed what the engine reports");
    assertEquals(first.threads(), JniUtils.getNumThreads(), "a later start changed libtorch");
    AtomicInteger onWorker = new AtomicInteger();
    Thread worker = new Thread(() -> {
      EngineRuntime.start(new RuntimeOptions("cpu", first.threads() + 2, null, 9));
      onWorker.set(JniUtils.getNumThreads());
    });
    worker.start();
    worker.join(60_000);
    assertEquals(first.threads(), onWorker.get());
  }

  /** A later start (another Maven stage) must not reset the generator under a running job. */
  @Test
  void aLaterStartLeavesLibtorchsGeneratorAlone() {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 7));
    float[] undisturbed;
    float[] afterStart;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      JniUtils.setSeed(99);
      undisturbed = manager.randomNormal(new Shape(5)).toFloatArray();
      JniUtils.setSeed(99);
      EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 123));
      afterStart = manager.randomNormal(new Shape(5)).toFloatArray();
    }
    assertArrayEquals(undisturbed, afterStart);
  }

  @Test
  void rejectsUnknownDeviceAndNegativeThreads() {
    assertThrows(IllegalArgumentException.class, () -> new RuntimeOptions("tpu", 0, null, 1));
    assertThrows(IllegalArgumentException.class, () -> new RuntimeOptions("cpu", -1, null, 1));
  }

  @Test
  void gpuWithoutGpusFailsWithAClearMessage() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> EngineRuntime.chooseDevice("gpu", 0));
    assertTrue(error.getMessage().contains("no GPU"), error.getMessage());
    assertEquals(Device.cpu(), EngineRuntime.chooseDevice("auto", 0));
    assertEquals(Device.gpu(), EngineRuntime.chooseDevice("auto", 1));
  }
}
