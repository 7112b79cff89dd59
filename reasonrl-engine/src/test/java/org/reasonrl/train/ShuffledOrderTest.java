package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShuffledOrderTest {

  @Test
  void eachEpochIsAPermutationAndEpochsDiffer() {
    ShuffledOrder order = new ShuffledOrder(7, 10);
    int[] epoch0 = new int[10];
    int[] epoch1 = new int[10];
    for (int i = 0; i < 10; i++) {
      epoch0[i] = order.index(i);
      epoch1[i] = order.index(10 + i);
    }
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted(epoch0));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted(epoch1));
    assertFalse(Arrays.equals(epoch0, epoch1));
  }

  @Test
  void orderIsAPureFunctionOfSeedAndPosition() {
    ShuffledOrder first = new ShuffledOrder(3, 7);
    int[] expected = first.batch(5, 4); // positions 20..23 span epochs 2 and 3
    ShuffledOrder fresh = new ShuffledOrder(3, 7);
    assertArrayEquals(expected, fresh.batch(5, 4));
    assertEquals(first.index(22), new ShuffledOrder(3, 7).index(22));
    assertFalse(Arrays.equals(first.batch(0, 7), new ShuffledOrder(4, 7).batch(0, 7)),
        "another seed gives another order");
  }

  /**
   * The permutation is drawn from SeedStream now; it must still be the order every earlier run
   * trained in, so shuffles (and resumed runs) are unchanged. The reference is java.util's
   * SplittableRandom, the same SplitMix64 sequence the original inline generator produced.
   */
  @Test
  void permutationIsUnchangedFisherYatesOverSplitMix64() {
    for (long seed : new long[] {0, 3, ShuffledOrder.mix(42, 7)}) {
      int[] expected = new int[50];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = i;
      }
      java.util.SplittableRandom reference = new java.util.SplittableRandom(seed);
      for (int i = expected.length - 1; i > 0; i--) {
        int j = (int) Long.remainderUnsigned(reference.nextLong(), i + 1);
        int swap = expected[i];
        expected[i] = expected[j];
        expected[j] = swap;
      }
      assertArrayEquals(expected, ShuffledOrder.permutation(seed, expected.length));
    }
  }

  private static int[] sorted(int[] values) {
    int[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
