package org.reasonrl.data;

/** A record a loader could not use, kept so that nothing is dropped silently. */
public record SkippedRecord(String file, String location, String reason) {

  @Override
  public String toString() {
    return file + " " + location + ": " + reason;
  }
}
