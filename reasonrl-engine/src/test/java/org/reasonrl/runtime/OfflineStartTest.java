package org.reasonrl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts the engine in a fresh JVM that has neither {@code ai.djl.offline} nor
 * {@code OPT_OUT_TRACKING} set, with every URL connection recorded and refused. Passing proves
 * that {@link EngineRuntime} set offline mode before DJL loaded, that no download was attempted,
 * and that libtorch came from the native jar on the class path.
 */
class OfflineStartTest {

  @Test
  void engineStartsAndComputesWithoutTouchingTheNetwork() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", classpath,
        OfflineProbe.class.getName()).redirectErrorStream(true);
    builder.environment().remove("OPT_OUT_TRACKING");
    builder.environment().remove("DJL_OFFLINE");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
    assertEquals(0, process.exitValue(), output);

    List<String> lines = output.lines().toList();
    assertTrue(lines.contains("offline-before-start=null"), output);
    assertFalse(output.contains("attempted-url="), "the engine tried the network:\n" + output);
    assertTrue(lines.contains("offline=true"), output);
    assertTrue(lines.contains("sum=55.0"), output);
    assertTrue(lines.contains("engine=PyTorch " + nativeJarVersion()), output);
  }

  /** The libtorch version packaged in the native jar on our class path. */
  private static String nativeJarVersion() throws IOException {
    try (InputStream in =
        OfflineStartTest.class.getResourceAsStream("/native/lib/pytorch.properties")) {
      assertTrue(in != null, "the pytorch-native jar is not on the test class path");
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version").split("-")[0];
    }
  }
}
