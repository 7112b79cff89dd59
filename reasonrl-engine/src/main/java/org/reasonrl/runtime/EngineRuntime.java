package org.reasonrl.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door into DJL. Every entry point (Mojo, benchmark main, test) calls {@link #start}
 * before touching an NDArray, so that offline mode, opt-out of tracking, thread counts and the
 * cache directory are in place before DJL loads libtorch. Without offline mode DJL tries to
 * download native libraries and to call a cloud metadata address; neither may ever happen.
 *
 * <p>The engine is one per JVM and so is what it describes: jobs running side by side (Maven
 * {@code -T 2}) share it, and no start changes anything another job depends on. In particular
 * no ReasonRL draw uses libtorch's global generator (each comes from a {@link SeedStream} of its
 * run), and thread counts are fixed by the first start.
 */
public final class EngineRuntime {

  static final String ENGINE_NAME = "PyTorch";

  private static final Logger LOG = LoggerFactory.getLogger(EngineRuntime.class);

  private static RuntimeInfo started;
  private static Device device;
  private static final Set<Integer> ignoredThreadRequests = new HashSet<>();

  private EngineRuntime() {}

  /**
   * Starts the engine once per JVM and returns what it runs with. Later calls cannot change what
   * libtorch loaded with: a different thread count is ignored (with a warning, once per count)
   * and the returned info still names the count in force; a different device is refused.
   */
  public static synchronized RuntimeInfo start(RuntimeOptions options) {
    if (started == null) {
      configureBeforeLoad(options);
      Engine engine = Engine.getEngine(ENGINE_NAME);
      if (!Utils.isOfflineMode()) {
        throw new IllegalStateException("DJL is not in offline mode after start; refusing to run");
      }
      device = chooseDevice(options.device(), engine.getGpuCount());
      // Belt and braces: nothing draws from this generator, but if anything ever did, a one-job
      // JVM would still repeat. Seeded once: a later start must not disturb running jobs.
      engine.setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)));
      started = describe(engine, options);
    } else {
      if (!options.device().equals("auto")
          && !chooseDevice(options.device(), started.gpuCount()).equals(device)) {
        throw new IllegalStateException(
            "engine already started on " + device + "; cannot switch to " + options.device());
      }
      warnIfThreadsDiffer(options.effectiveThreads());
    }
    prepareCallingThread();
    return started;
  }

  private static void warnIfThreadsDiffer(int requested) {
    if (requested != started.threads() && ignoredThreadRequests.add(requested)) {
      LOG.warn("libtorch already runs with {} intra-op threads in this JVM (set by the first"
          + " start); the request for {} is ignored and runs record {}", started.threads(),
          requested, started.threads());
    }
  }

  /**
   * Starts with {@link RuntimeOptions#defaults()} if nothing started the engine yet, and prepares
   * the calling thread. Every job calls it first, on the thread it runs on.
   */
  public static synchronized RuntimeInfo ensureStarted() {
    if (started == null) {
      return start(RuntimeOptions.defaults());
    }
    prepareCallingThread();
    return started;
  }

  /**
   * libtorch's grad mode is per thread and DJL sets it only on the thread that loads the engine.
   * A job on another thread (a Maven {@code -T} worker) must start with it off, the state
   * {@link ThreadAutograd} returns to: the pretrain stage on such a worker failed with "a leaf
   * Variable that requires grad is being used in an in-place operation" without this.
   */
  private static void prepareCallingThread() {
    JniUtils.setGradMode(false);
  }

  /** The device chosen at start. */
  public static synchronized Device device() {
    ensureStarted();
    return device;
  }

  private static void configureBeforeLoad(RuntimeOptions options) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("ai.djl.default_engine", ENGINE_NAME);
    int threads = options.effectiveThreads();
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
    if (options.cacheDir() != null) {
      System.setProperty("DJL_CACHE_DIR", options.cacheDir().toAbsolutePath().toString());
    }
  }

  static Device chooseDevice(String requested, int gpuCount) {
    return switch (requested) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (gpuCount == 0) {
          throw new IllegalStateException(
              "device 'gpu' requested but the engine sees no GPU; build with -Pcuda on a CUDA"
                  + " machine, or use device 'cpu' or 'auto'");
        }
        yield Device.gpu();
      }
      default -> gpuCount > 0 ? Device.gpu() : Device.cpu();
    };
  }

  private static RuntimeInfo describe(Engine engine, RuntimeOptions options) {
    Properties versions = versions();
    return new RuntimeInfo(
        versions.getProperty("reasonrl.version", "unknown"),
        engine.getEngineName(),
        engine.getVersion(),
        Engine.getDjlVersion(),
        versions.getProperty("pytorch.native.artifact", "unknown"),
        device.toString(),
        engine.getGpuCount(),
        JniUtils.getNumThreads(),
        Utils.isOfflineMode(),
        Utils.getCacheDir(),
        options.seed(),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  private static Properties versions() {
    Properties properties = new Properties();
    try (InputStream in = EngineRuntime.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
