package org.reasonrl.report;

import java.nio.file.Path;
import java.util.List;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;

/**
 * The {@code reasonrl:report} job: renders evaluations into one HTML page, under the lifecycle
 * every goal shares ({@code run.json}, {@code spec.json}, lock) but without the engine. The page
 * is a pure function of the evaluations it reads, so every run renders it again.
 *
 * @param title the page title
 * @param entries rows in order
 * @param reportFile the page; its directory is the run directory
 */
public record Report(String title, List<ReportEntry> entries, Path reportFile)
    implements Job<Report.Result> {

  public Report {
    if (entries == null || entries.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one evaluation");
    }
    if (reportFile == null || reportFile.getFileName() == null) {
      throw new IllegalArgumentException("a report needs a file to write");
    }
    reportFile = reportFile.toAbsolutePath().normalize();
  }

  /** What was rendered. */
  public record Result(Path page, int rows) {}

  /** What identifies a report: its title, rows and file name. */
  record Identity(String title, List<ReportEntry> entries, String file) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("report", reportFile.getParent(),
        new Identity(title, entries, reportFile.getFileName().toString()), 0, Result.class)
        .withoutEngine();
  }

  @Override
  public void validate() {
    for (ReportEntry entry : entries) {
      GridReport.evaluationFile(entry);
    }
  }

  @Override
  public Result run(JobContext context) {
    Path page = GridReport.render(title, entries, reportFile);
    context.log().accept("Report: " + page);
    return new Result(page, entries.size());
  }

  /** It renders again on every run (above), whatever its inputs were. */
  @Override
  public boolean continuesEarlierWork() {
    return false;
  }

  /** Evaluations may have been redone since: render again. */
  @Override
  public boolean finishedResultIsCurrent(Result finished, Path resultFile) {
    return false;
  }
}
