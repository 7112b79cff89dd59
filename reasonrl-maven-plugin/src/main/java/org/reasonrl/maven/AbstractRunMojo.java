package org.reasonrl.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;

/** Goals that write a run directory ({@code output}); each goal has its own by default. */
public abstract class AbstractRunMojo extends AbstractEngineMojo {

  /**
   * The run directory: resumable, locked while the goal runs. Default
   * {@code ${project.build.directory}/reasonrl/<goal>}, e.g. {@code target/reasonrl/sft}.
   */
  @Parameter(property = "reasonrl.output")
  private File output;

  @Parameter(defaultValue = "${project.build.directory}", readonly = true)
  private File buildDirectory;

  protected Path output() {
    File dir = output != null ? output : new File(buildDirectory, "reasonrl/" + goal());
    return dir.toPath();
  }

  /** A path parameter that may be unset. */
  protected static Path path(File file) {
    return file == null ? null : file.toPath();
  }
}
