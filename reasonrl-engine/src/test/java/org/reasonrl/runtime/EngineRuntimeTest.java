package org.reasonrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class EngineRuntimeTest {

  @Test
  void startsOfflineOnPytorchAndComputesAMatrixProduct() {
    RuntimeInfo info = EngineRuntime.start(new RuntimeOptions("cpu", 0, null, 7));
    assertEquals("PyTorch", info.engineName());
    assertTrue(info.offline());
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    assertEquals(Runtime.getRuntime().availableProcessors(), info.threads());
    assertEquals(7, info.seed());
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray b = manager.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2));
      // Worked by hand: [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154].
      assertArrayEquals(new float[] {58, 64, 139, 154}, a.matMul(b).toFloatArray());
    }
  }

  @Test
  void sameSeedGivesSameRandomNumbers() {
    EngineRuntime.start(new RuntimeOptions("cpu", 0, null, 123));
    float[] first;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      first = manager.randomNormal(new Shape(5)).toFloatArray();
    }
    EngineRuntime.seed(123);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      assertArrayEquals(first, manager.randomNormal(new Shape(5)).toFloatArray());
    }
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
