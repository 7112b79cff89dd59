package org.reasonrl.train.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which prompt (group) each sequence of a batch was sampled for. Group methods (GRPO, RLOO)
 * compare a sequence with the other samples of its prompt.
 *
 * @param ids per sequence, its group id; members of a group need not be adjacent
 */
public record Groups(int[] ids) {

  public Groups {
    ids = ids.clone();
  }

  /** K consecutive sequences per prompt (the sampler's order): sequence i is in group i / k. */
  public static Groups consecutive(int sequences, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("samples per prompt (K) must be >= 1 but was " + k);
    }
    if (sequences % k != 0) {
      throw new IllegalArgumentException(sequences + " sequences are not a whole number of"
          + " groups of K = " + k);
    }
    int[] ids = new int[sequences];
    for (int i = 0; i < sequences; i++) {
      ids[i] = i / k;
    }
    return new Groups(ids);
  }

  /** Explicit group ids, one per sequence. */
  public static Groups of(int... ids) {
    return new Groups(ids);
  }

  public int sequences() {
    return ids.length;
  }

  /** The sequence indices of each group, groups in order of first appearance. */
  public List<int[]> members() {
    Map<Integer, List<Integer>> byId = new LinkedHashMap<>();
    for (int i = 0; i < ids.length; i++) {
      byId.computeIfAbsent(ids[i], id -> new ArrayList<>()).add(i);
    }
    List<int[]> out = new ArrayList<>(byId.size());
    for (List<Integer> group : byId.values()) {
      out.add(group.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /** The members of each group, failing if one has fewer than two (no baseline to compare). */
  List<int[]> membersOfAtLeastTwo(String method) {
    List<int[]> members = members();
    for (int[] group : members) {
      if (group.length < 2) {
        throw new IllegalArgumentException(method + " needs at least 2 samples per prompt"
            + " (K >= 2) but group " + ids[group[0]] + " has " + group.length);
      }
    }
    return members;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Groups that && Arrays.equals(ids, that.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "Groups" + Arrays.toString(ids);
  }
}
