package org.reasonrl.maven;

import java.util.function.Consumer;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.job.JobRunner;

/**
 * The root of every goal: {@code skip}, the log, and one translation of engine errors into
 * Maven's. It does not start the engine ({@code report} runs without libtorch); goals that
 * compute extend {@link AbstractEngineMojo}.
 *
 * <p>The families, each adding its parameters once: this class ({@code report}) →
 * {@link AbstractEngineMojo} ({@code info}) → {@link AbstractRunMojo} ({@code pretrain}) →
 * {@link AbstractPolicyMojo} → {@link AbstractSamplingMojo} ({@code eval}) →
 * {@link AbstractTrainingMojo} ({@code sft}, {@code ei}, {@code orm}, {@code ppo}).
 */
public abstract class AbstractReasonRlMojo extends AbstractMojo {

  /** Skips this goal. */
  @Parameter(property = "reasonrl.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping (reasonrl.skip=true)");
      return;
    }
    try {
      executeGoal();
    } catch (RuntimeException e) {
      if (JobRunner.isUserError(e)) {
        // Bad input (parameters, data, checkpoints, a busy or mismatched output): the user's.
        throw new MojoFailureException(e.getMessage(), e);
      }
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** The goal's work: turn the parameters into a spec and hand it to the engine. */
  protected abstract void executeGoal() throws MojoExecutionException, MojoFailureException;

  /** Engine progress and messages, routed to Maven's log. */
  protected Consumer<String> logSink() {
    return getLog()::info;
  }
}
