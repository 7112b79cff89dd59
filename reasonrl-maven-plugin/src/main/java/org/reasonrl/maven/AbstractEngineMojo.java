package org.reasonrl.maven;

import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;

/** Goals that compute: the device, thread, cache and seed parameters, and the engine start. */
public abstract class AbstractEngineMojo extends AbstractReasonRlMojo {

  /** Compute device: {@code cpu}, {@code gpu} or {@code auto}. */
  @Parameter(property = "reasonrl.device", defaultValue = "auto")
  private String device;

  /** libtorch intra-op threads; 0 means all cores. */
  @Parameter(property = "reasonrl.threads", defaultValue = "0")
  private int threads;

  /** DJL's cache directory for the extracted native library (default {@code ~/.djl.ai}). */
  @Parameter(property = "reasonrl.cacheDir")
  private File cacheDir;

  /** Global seed: the same seed reproduces the same run. */
  @Parameter(property = "reasonrl.seed", defaultValue = "42")
  private long seed;

  @Override
  protected final void executeGoal() throws MojoExecutionException, MojoFailureException {
    RuntimeInfo runtime;
    try {
      runtime = EngineRuntime.start(new RuntimeOptions(
          device, threads, cacheDir == null ? null : cacheDir.toPath(), seed));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new MojoFailureException("Cannot start the ReasonRL engine: " + e.getMessage(), e);
    }
    run(runtime);
  }

  /** The goal's work, after the engine has started. */
  protected abstract void run(RuntimeInfo runtime) throws MojoExecutionException;

  protected long seed() {
    return seed;
  }
}
