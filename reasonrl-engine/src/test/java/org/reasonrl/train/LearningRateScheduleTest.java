package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.reasonrl.train.LearningRateSchedule.Decay;

class LearningRateScheduleTest {

  @Test
  void cosineWithWarmupMatchesHandValues() {
    // peak 1e-3, floor 1e-4, warm-up 4 of 12 steps: warm-up 2.5e-4, 5e-4, 7.5e-4, 1e-3; then
    // p = (s-4)/8: s=4 → peak; s=6 → p=1/4, f=(1+cos(pi/4))/2=0.853553; s=8 → p=1/2, f=1/2;
    // s=11 → p=7/8, f=(1+cos(7pi/8))/2=0.0380602.
    LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 4, 12, Decay.COSINE, 1e-4);
    assertEquals(2.5e-4, schedule.at(0), 1e-15);
    assertEquals(5e-4, schedule.at(1), 1e-15);
    assertEquals(1e-3, schedule.at(3), 1e-15);
    assertEquals(1e-3, schedule.at(4), 1e-15);
    assertEquals(1e-4 + 9e-4 * 0.8535534, schedule.at(6), 1e-10);
    assertEquals(1e-4 + 9e-4 * 0.5, schedule.at(8), 1e-12);
    assertEquals(1e-4 + 9e-4 * 0.0380602, schedule.at(11), 1e-10);
    assertEquals(1e-4, schedule.at(12), 1e-15);
  }

  @Test
  void linearAndConstantMatchHandValues() {
    // No warm-up, 10 steps, peak 2, floor 0: linear gives 2·(1 − s/10).
    LearningRateSchedule linear = new LearningRateSchedule(2, 0, 10, Decay.LINEAR, 0);
    assertEquals(2.0, linear.at(0), 1e-12);
    assertEquals(1.4, linear.at(3), 1e-12);
    assertEquals(0.2, linear.at(9), 1e-12);
    LearningRateSchedule constant = LearningRateSchedule.constant(0.5, 10);
    assertEquals(0.5, constant.at(0));
    assertEquals(0.5, constant.at(9));
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule(1e-3, 20, 10, Decay.COSINE, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new LearningRateSchedule(1e-3, 0, 10, Decay.COSINE, 1e-2));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Decay.parse("exponential"));
    assertEquals("learning-rate decay must be cosine, linear or constant but was 'exponential'",
        unknown.getMessage());
    assertEquals(Decay.LINEAR, Decay.parse(" Linear "));
  }
}
