package org.reasonrl.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.reasonrl.runtime.RuntimeInfo;

/** Prints the engine, device, versions and thread count the other goals will run with. */
@Mojo(name = "info", threadSafe = true, requiresProject = false)
public class InfoMojo extends AbstractEngineMojo {

  @Override
  protected void run(RuntimeInfo runtime) {
    getLog().info("ReasonRL " + runtime.reasonrlVersion());
    getLog().info("  engine:   " + runtime.engineName() + " " + runtime.engineVersion()
        + " (DJL " + runtime.djlVersion() + ", " + runtime.nativeArtifact() + ")");
    getLog().info("  device:   " + runtime.device() + " (GPUs visible: " + runtime.gpuCount() + ")");
    getLog().info("  threads:  " + runtime.threads());
    getLog().info("  offline:  " + runtime.offline());
    getLog().info("  cache:    " + runtime.cacheDir());
    getLog().info("  seed:     " + runtime.seed());
    getLog().info("  java:     " + runtime.javaVersion() + " on " + runtime.os());
  }
}
