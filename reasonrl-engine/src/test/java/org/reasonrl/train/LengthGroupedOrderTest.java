package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthGroupedOrderTest {

  private static final int SIZE = 100;
  private static final int BATCH = 5;
  private static final int GROUP = 4;

  private static SupervisedBatches.LengthGroupedOrder order(int[] lengths) {
    return new SupervisedBatches.LengthGroupedOrder(new ShuffledOrder(9, SIZE), 9, BATCH, GROUP,
        i -> lengths[i]);
  }

  private static int[] randomLengths() {
    Random random = new Random(1);
    int[] lengths = new int[SIZE];
    Arrays.setAll(lengths, i -> 10 + random.nextInt(150));
    return lengths;
  }

  @Test
  void aWindowHoldsTheSameExamplesAsTheUngroupedShuffleCutByLength() {
    int[] lengths = randomLengths();
    SupervisedBatches.LengthGroupedOrder grouped = order(lengths);
    ShuffledOrder plain = new ShuffledOrder(9, SIZE);
    for (int window = 0; window < 8; window++) { // 8 windows of 20 = 1.6 epochs
      int[] expected = plain.batch(window, BATCH * GROUP);
      int[][] batches = new int[GROUP][];
      int[] seen = new int[0];
      for (int s = 0; s < GROUP; s++) {
        batches[s] = grouped.batch((long) window * GROUP + s);
        assertEquals(BATCH, batches[s].length);
        seen = concat(seen, batches[s]);
      }
      Arrays.sort(expected);
      Arrays.sort(seen);
      assertArrayEquals(expected, seen, "window " + window);
      // Batches are length bands: one batch's lengths never interleave with another's.
      for (int a = 0; a < GROUP; a++) {
        for (int b = 0; b < GROUP; b++) {
          if (a != b && min(batches[a], lengths) < min(batches[b], lengths)) {
            assertTrue(max(batches[a], lengths) <= min(batches[b], lengths),
                "window " + window + " batches " + a + ", " + b);
          }
        }
      }
    }
  }

  @Test
  void aBatchIsAPureFunctionOfTheStepAndGroupingCutsPadding() {
    int[] lengths = randomLengths();
    SupervisedBatches.LengthGroupedOrder first = order(lengths);
    int[] late = first.batch(13);
    assertArrayEquals(late, order(lengths).batch(13), "resume needs only the step");
    first.batch(2);
    assertArrayEquals(late, first.batch(13), "the window cache does not change a batch");

    // Padded tokens (batch rows × longest row) over two epochs, grouped vs plain.
    ShuffledOrder plain = new ShuffledOrder(9, SIZE);
    long groupedTokens = 0;
    long plainTokens = 0;
    for (int step = 0; step < 2 * SIZE / BATCH; step++) {
      groupedTokens += (long) BATCH * max(first.batch(step), lengths);
      plainTokens += (long) BATCH * max(plain.batch(step, BATCH), lengths);
    }
    assertTrue(groupedTokens < 0.85 * plainTokens, groupedTokens + " vs " + plainTokens);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int min(int[] indices, int[] lengths) {
    return Arrays.stream(indices).map(i -> lengths[i]).min().orElseThrow();
  }

  private static int max(int[] indices, int[] lengths) {
    return Arrays.stream(indices).map(i -> lengths[i]).max().orElseThrow();
  }
}
