package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Two prompts, K = 4. Group 0's sequence rewards are (1, 0, 0, 1), group 1's (0, 0, 0, 1). The
 * last sequence of group 0 earns its 1 densely (0.25 and 0.75 on its two tokens): a sequence's
 * reward is the sum over its tokens.
 */
class GroupEstimatorsTest {

  private static final float[][] REWARDS = {
      {0f, 1f}, {0f}, {0f, 0f, 0f}, {0.25f, 0.75f},
      {0f, 0f}, {0f}, {0f, 0f}, {0f, 0f, 1f}};
  private static final AdvantageBatch BATCH = AdvantageBatch.grouped(REWARDS,
      Groups.consecutive(8, 4));

  @Test
  void grpoDividesByTheGroupsUnbiasedStandardDeviation() {
    // Group 0: mean 0.5, Σ(r − mean)² = 1, var = 1/3, std = √(1/3): A = ±0.5/√(1/3) = ±√3/2.
    // Group 1: mean 0.25, Σ(r − mean)² = 3·0.0625 + 0.5625 = 0.75, var = 0.25, std = 0.5:
    //   A = −0.25/0.5 = −0.5 and 0.75/0.5 = 1.5.
    double eps = 1e-6;
    double std0 = Math.sqrt(1.0 / 3);
    double[] expected = {0.5 / (std0 + eps), -0.5 / (std0 + eps), -0.5 / (std0 + eps),
        0.5 / (std0 + eps), -0.25 / (0.5 + eps), -0.25 / (0.5 + eps), -0.25 / (0.5 + eps),
        0.75 / (0.5 + eps)};
    assertBroadcast(expected, GroupNormalized.grpo(eps).estimate(BATCH));
  }

  @Test
  void drGrpoOnlySubtractsTheGroupMean() {
    assertBroadcast(new double[] {0.5, -0.5, -0.5, 0.5, -0.25, -0.25, -0.25, 0.75},
        GroupNormalized.drGrpo().estimate(BATCH));
  }

  @Test
  void rlooSubtractsTheMeanOfTheOtherSamples() {
    // Group 0: 1 − (1/3) = 2/3, 0 − (2/3) = −2/3. Group 1: 0 − 1/3 = −1/3, 1 − 0 = 1.
    double third = 1.0 / 3;
    double[] expected = {2 * third, -2 * third, -2 * third, 2 * third, -third, -third, -third, 1};
    Advantages out = new Rloo().estimate(BATCH);
    assertBroadcast(expected, out);
    // The identity K/(K−1)·(r − group mean) (veRL's form) holds as well.
    double[] drGrpo = {0.5, -0.5, -0.5, 0.5, -0.25, -0.25, -0.25, 0.75};
    for (int i = 0; i < drGrpo.length; i++) {
      assertEquals(4.0 / 3 * drGrpo[i], out.advantages()[i][0], 1e-6);
    }
  }

  @Test
  void explicitGroupIdsNeedNotBeAdjacent() {
    // The same two groups interleaved: sequence order 0,4,1,5,2,6,3,7 of the batch above.
    int[] order = {0, 4, 1, 5, 2, 6, 3, 7};
    float[][] interleaved = new float[8][];
    for (int k = 0; k < 8; k++) {
      interleaved[k] = REWARDS[order[k]];
    }
    Advantages out = new Rloo().estimate(AdvantageBatch.grouped(interleaved,
        Groups.of(7, 9, 7, 9, 7, 9, 7, 9)));
    Advantages reference = new Rloo().estimate(BATCH);
    for (int k = 0; k < 8; k++) {
      assertArrayEquals(reference.advantages()[order[k]], out.advantages()[k], 1e-7f);
    }
  }

  @Test
  void aGroupWhoseRewardsAreAllEqualGetsZeroAdvantage() {
    AdvantageBatch uniform = AdvantageBatch.grouped(new float[][] {{1f}, {1f}, {1f}},
        Groups.consecutive(3, 3));
    for (AdvantageEstimator estimator : new AdvantageEstimator[] {GroupNormalized.grpo(1e-6),
        GroupNormalized.drGrpo(), new Rloo()}) {
      for (float[] row : estimator.estimate(uniform).advantages()) {
        assertArrayEquals(new float[] {0f}, row, 0f, estimator.toString());
      }
    }
  }

  @Test
  void groupMethodsRejectSingletonsAndMissingGroups() {
    AdvantageBatch singletons = AdvantageBatch.grouped(new float[][] {{1f}, {0f}},
        Groups.consecutive(2, 1));
    IllegalArgumentException k1 = assertThrows(IllegalArgumentException.class,
        () -> new Rloo().estimate(singletons));
    assertTrue(k1.getMessage().contains("rloo needs at least 2 samples per prompt (K >= 2)"),
        k1.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> GroupNormalized.grpo(1e-6).estimate(AdvantageBatch.withValues(REWARDS, REWARDS)));
    assertTrue(none.getMessage().contains("grpo needs the group"), none.getMessage());
    IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
        () -> Groups.consecutive(7, 4));
    assertTrue(partial.getMessage().contains("not a whole number of groups"),
        partial.getMessage());
  }

  /** Each sequence's advantage on each of its tokens; critic-free returns equal advantages. */
  private static void assertBroadcast(double[] perSequence, Advantages out) {
    for (int i = 0; i < perSequence.length; i++) {
      float[] expected = new float[REWARDS[i].length];
      Arrays.fill(expected, (float) perSequence[i]);
      assertArrayEquals(expected, out.advantages()[i], 1e-6f, "sequence " + i);
      assertArrayEquals(expected, out.returns()[i], 1e-6f, "sequence " + i);
    }
  }
}
