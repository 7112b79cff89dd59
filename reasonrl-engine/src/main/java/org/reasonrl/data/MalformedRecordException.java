package org.reasonrl.data;

/**
 * A record in a dataset file that cannot be used (unreadable, or too long for the model); names
 * the file, the line, index or problem, and why. The user's to fix: an
 * {@link IllegalArgumentException}.
 */
public final class MalformedRecordException extends IllegalArgumentException {

  private final SkippedRecord record;

  public MalformedRecordException(SkippedRecord record, Throwable cause) {
    super("bad record in " + record + " (pass failOnBadRecord=false to skip and count)",
        cause);
    this.record = record;
  }

  public SkippedRecord record() {
    return record;
  }
}
