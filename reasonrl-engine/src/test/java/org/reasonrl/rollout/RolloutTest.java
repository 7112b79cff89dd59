package org.reasonrl.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class RolloutTest {

  @Test
  void theSequenceIsThePromptThenTheGeneratedTokens() {
    Rollout rollout = new Rollout(0, 0, new int[] {1, 7, 8}, new int[] {9, 2}, new float[2],
        new float[2], "x", StopReason.EOS);
    assertArrayEquals(new int[] {1, 7, 8, 9, 2}, rollout.sequence());
    assertArrayEquals(new int[] {9, 2}, Rollout.sequenceOf(new int[0], new int[] {9, 2}));
    // A copy: writing into it leaves the rollout alone.
    rollout.sequence()[0] = 5;
    assertArrayEquals(new int[] {1, 7, 8}, rollout.promptTokens());
  }
}
