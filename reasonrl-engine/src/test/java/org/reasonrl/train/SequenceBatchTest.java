package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceBatchTest {

  @Test
  void shiftsPadsAndMasksOnlyCompletionTargets() {
    // Worked by hand. Example 1: prompt [1 10 11], completion [20 21 2] → sequence of 6.
    // Example 2: prompt [1 12], completion [22 2] → sequence of 4, padded to width 5 with 0.
    SequenceBatch batch = SequenceBatch.of(List.of(
        new TokenizedExample(new int[] {1, 10, 11}, new int[] {20, 21, 2}),
        new TokenizedExample(new int[] {1, 12}, new int[] {22, 2})), 0);
    assertArrayEquals(new int[] {1, 10, 11, 20, 21}, batch.inputs()[0]);
    assertArrayEquals(new int[] {10, 11, 20, 21, 2}, batch.targets()[0]);
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, batch.lossMask()[0]);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1}, batch.attentionMask()[0]);
    assertArrayEquals(new int[] {1, 12, 22, 0, 0}, batch.inputs()[1]);
    assertArrayEquals(new int[] {12, 22, 2, 0, 0}, batch.targets()[1]);
    assertArrayEquals(new int[] {0, 1, 1, 0, 0}, batch.lossMask()[1]);
    assertArrayEquals(new int[] {1, 1, 1, 0, 0}, batch.attentionMask()[1]);
    assertEquals(8, batch.tokens());
  }

  @Test
  void unscoredCompletionTokensAreReadButCarryNoLoss() {
    // prompt [1 10], completion [4 20 4 21 2] with 4 (a condition token) unscored at 0 and 2:
    // targets are [10 4 20 4 21 2]; the 4s at target positions 1 and 3 get no loss.
    SequenceBatch batch = SequenceBatch.of(List.of(new TokenizedExample(new int[] {1, 10},
        new int[] {4, 20, 4, 21, 2}, new int[] {0, 2})), 0);
    assertArrayEquals(new int[] {1, 10, 4, 20, 4, 21}, batch.inputs()[0]);
    assertArrayEquals(new int[] {10, 4, 20, 4, 21, 2}, batch.targets()[0]);
    assertArrayEquals(new int[] {0, 0, 1, 0, 1, 1}, batch.lossMask()[0]);
  }

  @Test
  void unscoredPositionsMustBeIncreasingIndicesIntoTheCompletion() {
    assertThrows(IllegalArgumentException.class,
        () -> new TokenizedExample(new int[] {1}, new int[] {4, 20}, new int[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> new TokenizedExample(new int[] {1}, new int[] {4, 20, 4}, new int[] {2, 0}));
  }

  @Test
  void rejectsEmptyInput() {
    assertThrows(IllegalArgumentException.class, () -> SequenceBatch.of(List.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new TokenizedExample(new int[0], new int[] {2}));
  }
}
