package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private long now;

  @Test
  void plainLinesAreBoundedToEveryFivePercentAndCarryRateAndEta() {
    List<String> lines = new ArrayList<>();
    Progress progress = new Progress("sft", 200, "steps", lines::add, false, () -> now);
    for (int done = 1; done <= 200; done++) {
      now += 500_000_000L; // 0.5 s per step: 2 steps/s
      progress.update(done, "loss 1.0");
    }
    // First update, then every 10 steps (5% of 200), the last included: 1, 11, 21, ..., 191, 200.
    assertEquals(21, lines.size(), String.join("\n", lines));
    assertEquals("sft 1/200 steps (1%) 0.00 steps/s elapsed 1s eta ? | loss 1.0", lines.get(0));
    // At step 101: 100 steps counted since the first update, 50.5 s elapsed → 1.98 steps/s;
    // 99 to go → 50 s.
    assertEquals("sft 101/200 steps (51%) 1.98 steps/s elapsed 51s eta 50s | loss 1.0",
        lines.get(10));
    assertEquals("sft 200/200 steps (100%) 1.99 steps/s elapsed 1m40s | loss 1.0",
        lines.get(20));
  }

  @Test
  void slowTasksStillReportEveryThirtySeconds() {
    List<String> lines = new ArrayList<>();
    Progress progress = new Progress("ei", 1000, "rollouts", lines::add, false, () -> now);
    progress.update(0, "");
    now += 31_000_000_000L;
    progress.update(3, "");
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).startsWith("ei 3/1000 rollouts (0%) 0.10 rollouts/s elapsed 31s eta"),
        lines.get(1));
  }

  @Test
  void terminalLinesRedrawInPlace() {
    List<String> lines = new ArrayList<>();
    Progress progress = new Progress("orm", 3, "steps", lines::add, true, () -> now);
    for (int done = 1; done <= 3; done++) {
      now += 1_000_000_000L;
      progress.update(done, "");
    }
    assertEquals(3, lines.size());
    assertTrue(lines.get(1).startsWith("\rorm 2/3 steps"), lines.get(1));
    assertTrue(lines.get(2).endsWith(System.lineSeparator()));
  }

  @Test
  void durationsFormatAsHoursMinutesSeconds() {
    assertEquals("59s", Progress.formatDuration(59.4));
    assertEquals("1m15s", Progress.formatDuration(75.4));
    assertEquals("1h02m05s", Progress.formatDuration(3725));
  }
}
