package org.reasonrl.train.rl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.reasonrl.train.ShuffledOrder;

/**
 * PPO's update schedule over one rollout buffer: {@code epochs} passes, each over a fresh
 * shuffle (seeded by (seed, iteration, epoch), so a resumed iteration repeats it) cut into
 * minibatches of {@code minibatchSize} sequences — one optimizer step each, the last one
 * possibly smaller — and each minibatch into micro-batches of {@code microBatchSize}. Within a
 * minibatch the sequences are ordered by length before the cut, so each micro-batch holds
 * similar lengths and little padding; the step's gradient is the same sum either way.
 */
public record PolicyUpdatePlan(int epochs, int minibatchSize, int microBatchSize, long seed) {

  public PolicyUpdatePlan {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1 but was " + epochs);
    }
    if (minibatchSize < 1 || microBatchSize < 1) {
      throw new IllegalArgumentException("minibatchSize and microBatchSize must be >= 1 but were "
          + minibatchSize + ", " + microBatchSize);
    }
  }

  /**
   * @param length each sample's length in tokens (the padding its micro-batch would need)
   */
  public <T> List<List<List<T>>> updates(List<T> samples, long iteration,
      ToIntFunction<T> length) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("iteration " + iteration + " has no samples to train on");
    }
    List<List<List<T>>> steps = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      int[] order = ShuffledOrder.permutation(ShuffledOrder.mix(seed, iteration, epoch),
          samples.size());
      for (int from = 0; from < order.length; from += minibatchSize) {
        int to = Math.min(order.length, from + minibatchSize);
        List<T> minibatch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          minibatch.add(samples.get(order[i]));
        }
        // Stable: equal lengths keep their shuffled order.
        minibatch.sort(Comparator.comparingInt(length));
        List<List<T>> micro = new ArrayList<>();
        for (int m = 0; m < minibatch.size(); m += microBatchSize) {
          micro.add(new ArrayList<>(minibatch.subList(m,
              Math.min(minibatch.size(), m + microBatchSize))));
        }
        steps.add(micro);
      }
    }
    return steps;
  }
}
