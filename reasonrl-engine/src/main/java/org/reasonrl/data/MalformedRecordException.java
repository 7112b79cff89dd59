package org.reasonrl.data;

/** A record in a dataset file that cannot be read; names the file, the line or index, and why. */
public final class MalformedRecordException extends RuntimeException {

  private final SkippedRecord record;

  public MalformedRecordException(SkippedRecord record, Throwable cause) {
    super("malformed record in " + record + " (pass failOnBadRecord=false to skip and count)",
        cause);
    this.record = record;
  }

  public SkippedRecord record() {
    return record;
  }
}
