package org.reasonrl.maven;

import java.io.File;
import java.util.function.Consumer;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.run.RunDirectoryLockedException;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.runtime.RuntimeOptions;

/**
 * The shell every goal shares: the {@code skip}, device, thread, cache and seed parameters, the
 * engine start, and one translation of engine errors into Maven's. Goals implement
 * {@link #run(RuntimeInfo)} by turning their parameters into a run spec and calling the engine.
 */
public abstract class AbstractReasonRlMojo extends AbstractMojo {

  /** Skips this goal. */
  @Parameter(property = "reasonrl.skip", defaultValue = "false")
  private boolean skip;

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
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping (reasonrl.skip=true)");
      return;
    }
    RuntimeInfo runtime;
    try {
      runtime = EngineRuntime.start(new RuntimeOptions(
          device, threads, cacheDir == null ? null : cacheDir.toPath(), seed));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new MojoFailureException("Cannot start the ReasonRL engine: " + e.getMessage(), e);
    }
    try {
      run(runtime);
    } catch (IllegalArgumentException | CheckpointException | RunDirectoryLockedException e) {
      // Bad input (parameters, data, checkpoints, a busy output directory): the user's to fix.
      throw new MojoFailureException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** The goal's work, after the engine has started. */
  protected abstract void run(RuntimeInfo runtime) throws MojoExecutionException;

  protected long seed() {
    return seed;
  }

  /** Engine progress and messages, routed to Maven's log. */
  protected Consumer<String> logSink() {
    return getLog()::info;
  }
}
