package org.reasonrl.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.report.Report;
import org.reasonrl.report.ReportEntry;

/**
 * Renders evaluations ({@code eval.json} from {@code reasonrl:eval}) as one HTML page in the
 * paper's table format: maj@1, maj@K, rerank@K and pass@K with 95% intervals per method. Reads
 * JSON and writes HTML only: it never starts the engine, so it does not load libtorch.
 */
@Mojo(name = "report", threadSafe = true, requiresProject = false)
public class ReportMojo extends AbstractReasonRlMojo {

  /** The page title. */
  @Parameter(property = "reasonrl.title", defaultValue = "ReasonRL results")
  private String title;

  /**
   * Rows in order, each {@code label=path} where path is an eval.json or its directory
   * (relative paths resolve against the project directory).
   */
  @Parameter(property = "reasonrl.evaluations", required = true)
  private List<String> evaluations;

  /** Where the page is written. */
  @Parameter(property = "reasonrl.reportFile",
      defaultValue = "${project.build.directory}/reasonrl/report/index.html")
  private File reportFile;

  /** Resolves relative evaluation paths. */
  @Parameter(defaultValue = "${basedir}", readonly = true)
  private File basedir;

  @Override
  protected void executeGoal() {
    List<ReportEntry> entries = evaluations.stream()
        .map(text -> ReportEntry.parse(text, basedir.toPath())).toList();
    new Report(title, entries, reportFile.toPath()).run(logSink());
  }
}
