package org.reasonrl.run;

/** Another process (or another open {@link RunDirectory} in this JVM) holds the run's lock. */
public final class RunDirectoryLockedException extends IllegalStateException {

  public RunDirectoryLockedException(String message) {
    super(message);
  }
}
