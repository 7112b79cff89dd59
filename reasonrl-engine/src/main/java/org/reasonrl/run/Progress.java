package org.reasonrl.run;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a counted task with rate and ETA. On a terminal the line is redrawn in place with a
 * carriage return on every update; elsewhere (Maven logs, CI, files) one plain line is emitted at
 * most every 5% of the total or every 30 s, whichever comes first, plus the last one. Lines go to
 * a pluggable sink so a Maven plugin can route them to its {@code Log}.
 */
public final class Progress {

  private static final double REPORT_FRACTION = 0.05;
  private static final long REPORT_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

  private final String label;
  private final long total;
  private final String unit;
  private final Consumer<String> sink;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long startDone = -1;
  private long lastReportedDone = Long.MIN_VALUE;
  private long lastReportNanos;

  /**
   * @param label what is being counted, e.g. {@code "sft"}
   * @param total the count at completion
   * @param unit the unit of the count, e.g. {@code "steps"}
   * @param sink where lines go; on a terminal they start with {@code '\r'} and carry no newline
   * @param terminal redraw in place ({@code true}) or emit bounded plain lines
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime})
   */
  public Progress(String label, long total, String unit, Consumer<String> sink, boolean terminal,
      LongSupplier nanoClock) {
    if (total < 0) {
      throw new IllegalArgumentException("progress total must be >= 0 but was " + total);
    }
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.sink = sink;
    this.terminal = terminal;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastReportNanos = startNanos;
  }

  /** Progress to the console: redrawn on a terminal, plain lines on stdout otherwise. */
  public static Progress console(String label, long total, String unit) {
    boolean terminal = System.console() != null;
    Consumer<String> sink = terminal ? line -> {
      System.out.print(line);
      System.out.flush();
    } : System.out::println;
    return new Progress(label, total, unit, sink, terminal, System::nanoTime);
  }

  /** Progress as plain bounded lines into {@code sink} (e.g. a Maven {@code Log::info}). */
  public static Progress lines(String label, long total, String unit, Consumer<String> sink) {
    return new Progress(label, total, unit, sink, false, System::nanoTime);
  }

  /**
   * Reports that {@code done} units are complete. The rate and ETA count only units done since the
   * first update, so a resumed run does not claim the skipped steps as speed.
   *
   * @param details extra text appended to the line (e.g. {@code "loss 1.234"}), may be empty
   */
  public void update(long done, String details) {
    long now = nanoClock.getAsLong();
    if (startDone < 0) {
      startDone = done;
    }
    boolean finished = done >= total;
    if (!terminal && !finished) {
      long step = Math.max(1, (long) Math.ceil(total * REPORT_FRACTION));
      boolean fractionReached = done - lastReportedDone >= step || lastReportedDone < 0;
      boolean intervalReached = now - lastReportNanos >= REPORT_INTERVAL_NANOS;
      if (!fractionReached && !intervalReached) {
        return;
      }
    }
    if (done == lastReportedDone && !terminal) {
      return;
    }
    lastReportedDone = done;
    lastReportNanos = now;
    String line = format(done, now, details);
    if (terminal) {
      sink.accept("\r" + line + (finished ? System.lineSeparator() : ""));
    } else {
      sink.accept(line);
    }
  }

  String format(long done, long now, String details) {
    double seconds = (now - startNanos) / 1e9;
    long counted = done - startDone;
    double rate = seconds > 0 ? counted / seconds : 0;
    String percent = total == 0 ? "100" : String.format(Locale.ROOT, "%.0f", 100.0 * done / total);
    StringBuilder line = new StringBuilder()
        .append(label).append(' ').append(done).append('/').append(total).append(' ').append(unit)
        .append(" (").append(percent).append("%)")
        .append(String.format(Locale.ROOT, " %.2f %s/s", rate, unit))
        .append(" elapsed ").append(formatDuration(seconds));
    if (done < total) {
      line.append(" eta ").append(rate > 0 ? formatDuration((total - done) / rate) : "?");
    }
    if (details != null && !details.isEmpty()) {
      line.append(" | ").append(details);
    }
    return line.toString();
  }

  /** {@code 75.4} → {@code "1m15s"}, {@code 3725} → {@code "1h02m05s"}. */
  static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
  }
}
