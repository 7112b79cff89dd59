package org.reasonrl.train.rl;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.train.ShuffledOrder;

/**
 * PPO's update schedule over one rollout buffer: {@code epochs} passes, each over a fresh
 * shuffle (seeded by (seed, iteration, epoch), so a resumed iteration repeats it) cut into
 * minibatches of {@code minibatchSize} sequences — one optimizer step each, the last one
 * possibly smaller — and each minibatch into micro-batches of {@code microBatchSize}.
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

  public <T> List<List<List<T>>> updates(List<T> samples, long iteration) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("iteration " + iteration + " has no samples to train on");
    }
    List<List<List<T>>> steps = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      int[] order = ShuffledOrder.permutation(ShuffledOrder.mix(seed, iteration, epoch),
          samples.size());
      for (int from = 0; from < order.length; from += minibatchSize) {
        int to = Math.min(order.length, from + minibatchSize);
        List<List<T>> micro = new ArrayList<>();
        for (int m = from; m < to; m += microBatchSize) {
          List<T> part = new ArrayList<>();
          for (int i = m; i < Math.min(to, m + microBatchSize); i++) {
            part.add(samples.get(order[i]));
          }
          micro.add(part);
        }
        steps.add(micro);
      }
    }
    return steps;
  }
}
