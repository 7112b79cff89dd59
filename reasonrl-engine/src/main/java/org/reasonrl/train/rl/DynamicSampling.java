package org.reasonrl.train.rl;

import java.util.ArrayList;
import java.util.List;

/**
 * DAPO's dynamic sampling (Yu et al. 2025): a group whose samples all got the same reward (all
 * right or all wrong) has zero group-relative advantage and only dilutes the batch, so it is
 * skipped (and, in DAPO, more prompts are sampled to refill the batch).
 */
public final class DynamicSampling {

  private DynamicSampling() {}

  /** The ids of groups whose sequence rewards are all exactly equal (DAPO: std = 0). */
  public static List<Integer> uniformGroups(double[] sequenceRewards, Groups groups) {
    List<Integer> uniform = new ArrayList<>();
    for (int[] group : members(sequenceRewards, groups)) {
      if (isUniform(sequenceRewards, group)) {
        uniform.add(groups.ids()[group[0]]);
      }
    }
    return uniform;
  }

  /** The indices, in batch order, of the sequences in groups whose rewards differ (to keep). */
  public static int[] informativeSequences(double[] sequenceRewards, Groups groups) {
    boolean[] keep = new boolean[sequenceRewards.length];
    for (int[] group : members(sequenceRewards, groups)) {
      if (!isUniform(sequenceRewards, group)) {
        for (int i : group) {
          keep[i] = true;
        }
      }
    }
    int count = 0;
    for (boolean k : keep) {
      count += k ? 1 : 0;
    }
    int[] out = new int[count];
    int next = 0;
    for (int i = 0; i < keep.length; i++) {
      if (keep[i]) {
        out[next++] = i;
      }
    }
    return out;
  }

  private static List<int[]> members(double[] sequenceRewards, Groups groups) {
    if (sequenceRewards.length != groups.sequences()) {
      throw new IllegalArgumentException(sequenceRewards.length + " rewards but groups cover "
          + groups.sequences() + " sequences");
    }
    return groups.members();
  }

  private static boolean isUniform(double[] rewards, int[] group) {
    for (int i : group) {
      if (rewards[i] != rewards[group[0]]) {
        return false;
      }
    }
    return true;
  }
}
