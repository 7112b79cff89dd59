package org.reasonrl.train.rl;

/**
 * What an {@link AdvantageEstimator} reads, outside autograd: per sequence, its per-token
 * rewards (already including any KL-in-reward penalty, see {@link TokenRewards}), its per-token
 * values from the critic (for GAE), and its group. Arrays are ragged: sequence i's response has
 * {@code rewards[i].length} tokens, and its values, if given, the same number.
 *
 * @param rewards per sequence, the reward of each response token
 * @param values per sequence, the critic's value before each response token; {@code null}
 *     without a critic
 * @param groups which prompt each sequence answers; {@code null} when there are no groups
 */
public record AdvantageBatch(float[][] rewards, float[][] values, Groups groups) {

  public AdvantageBatch {
    if (rewards == null) {
      throw new IllegalArgumentException("an advantage batch needs per-token rewards");
    }
    if (values != null) {
      if (values.length != rewards.length) {
        throw new IllegalArgumentException("values cover " + values.length + " sequences but"
            + " rewards " + rewards.length);
      }
      for (int i = 0; i < rewards.length; i++) {
        if (values[i].length != rewards[i].length) {
          throw new IllegalArgumentException("sequence " + i + " has " + rewards[i].length
              + " rewards but " + values[i].length + " values");
        }
      }
    }
    if (groups != null && groups.sequences() != rewards.length) {
      throw new IllegalArgumentException("groups cover " + groups.sequences() + " sequences but"
          + " rewards " + rewards.length);
    }
  }

  /** Rewards and critic values, no groups (PPO with GAE). */
  public static AdvantageBatch withValues(float[][] rewards, float[][] values) {
    return new AdvantageBatch(rewards, values, null);
  }

  /** Rewards and groups, no critic (GRPO, RLOO). */
  public static AdvantageBatch grouped(float[][] rewards, Groups groups) {
    return new AdvantageBatch(rewards, null, groups);
  }

  public int sequences() {
    return rewards.length;
  }

  /** Each sequence's total reward (the sum of its token rewards), in double. */
  public double[] sequenceRewards() {
    double[] out = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      for (float reward : rewards[i]) {
        out[i] += reward;
      }
    }
    return out;
  }

  /** The sequences at {@code indices}, in that order (e.g. {@link DynamicSampling}'s keep list). */
  public AdvantageBatch select(int[] indices) {
    float[][] keptRewards = new float[indices.length][];
    float[][] keptValues = values == null ? null : new float[indices.length][];
    int[] keptGroups = groups == null ? null : new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      keptRewards[k] = rewards[indices[k]];
      if (keptValues != null) {
        keptValues[k] = values[indices[k]];
      }
      if (keptGroups != null) {
        keptGroups[k] = groups.ids()[indices[k]];
      }
    }
    return new AdvantageBatch(keptRewards, keptValues,
        keptGroups == null ? null : new Groups(keptGroups));
  }

  /** The groups, failing with the estimator's name if the batch has none. */
  Groups requireGroups(String estimator) {
    if (groups == null) {
      throw new IllegalArgumentException(estimator + " needs the group (prompt) of each sequence");
    }
    return groups;
  }

  /** The values, failing with the estimator's name if the batch has none. */
  float[][] requireValues(String estimator) {
    if (values == null) {
      throw new IllegalArgumentException(estimator + " needs the critic's per-token values");
    }
    return values;
  }
}
