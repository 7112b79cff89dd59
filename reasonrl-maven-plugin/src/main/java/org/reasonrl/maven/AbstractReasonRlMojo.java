package org.reasonrl.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
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

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution mojoExecution;

  @Parameter(defaultValue = "${session}", readonly = true)
  private MavenSession session;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (session != null) {
      Set<String> given = new TreeSet<>(session.getUserProperties().stringPropertyNames());
      given.addAll(session.getSystemProperties().stringPropertyNames());
      warnAboutUnknownProperties(given);
    }
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

  /** Warns about each {@code reasonrl.*} property no goal has ({@link UnknownProperties}). */
  void warnAboutUnknownProperties(Set<String> given) {
    MojoDescriptor descriptor = mojoExecution.getMojoDescriptor();
    PluginDescriptor plugin = descriptor.getPluginDescriptor();
    Map<String, List<String>> parameters = new TreeMap<>();
    for (MojoDescriptor mojo : plugin == null ? List.of(descriptor) : plugin.getMojos()) {
      List<String> properties = new ArrayList<>();
      for (org.apache.maven.plugin.descriptor.Parameter p : mojo.getParameters() == null
          ? List.<org.apache.maven.plugin.descriptor.Parameter>of() : mojo.getParameters()) {
        String expression = p.getExpression();
        if (expression != null && expression.startsWith("${") && expression.endsWith("}")) {
          properties.add(expression.substring(2, expression.length() - 1));
        }
      }
      parameters.put(mojo.getGoal(), properties);
    }
    UnknownProperties.warnings(given, descriptor.getGoal(), parameters).forEach(getLog()::warn);
  }

  /** The goal being run, e.g. {@code sft}. */
  protected String goal() {
    return mojoExecution.getMojoDescriptor().getGoal();
  }

  /** The goal's work: turn the parameters into a spec and hand it to the engine. */
  protected abstract void executeGoal() throws MojoExecutionException, MojoFailureException;

  /** Engine progress and messages, routed to Maven's log. */
  protected Consumer<String> logSink() {
    return getLog()::info;
  }
}
