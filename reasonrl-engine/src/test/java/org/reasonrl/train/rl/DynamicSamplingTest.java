package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicSamplingTest {

  @Test
  void groupsWhoseRewardsAreAllEqualAreSkipped() {
    // K = 3: group 0 all right, group 1 mixed, group 2 all wrong, group 3 mixed by 0.5.
    double[] rewards = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0.5, 0.5, 0};
    Groups groups = Groups.consecutive(12, 3);
    assertEquals(List.of(0, 2), DynamicSampling.uniformGroups(rewards, groups));
    assertArrayEquals(new int[] {3, 4, 5, 9, 10, 11},
        DynamicSampling.informativeSequences(rewards, groups));
  }

  @Test
  void explicitIdsAndTheKeptBatchKeepTheirGroups() {
    double[] rewards = {1, 0, 1, 1};
    Groups groups = Groups.of(5, 6, 5, 6);
    assertEquals(List.of(5), DynamicSampling.uniformGroups(rewards, groups));
    int[] keep = DynamicSampling.informativeSequences(rewards, groups);
    assertArrayEquals(new int[] {1, 3}, keep);
    AdvantageBatch batch = AdvantageBatch.grouped(new float[][] {{1f}, {0f}, {1f}, {1f}}, groups)
        .select(keep);
    assertEquals(Groups.of(6, 6), batch.groups());
    // Rloo on what is left: (0, 1) → −1, +1.
    Advantages out = new Rloo().estimate(batch);
    assertArrayEquals(new float[] {-1f}, out.advantages()[0], 1e-7f);
    assertArrayEquals(new float[] {1f}, out.advantages()[1], 1e-7f);
  }
}
