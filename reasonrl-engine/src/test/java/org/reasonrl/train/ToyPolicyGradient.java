package org.reasonrl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A toy on-policy problem for {@link RolloutIterations} on {@link TinyLm}: the buffer samples a
 * token at every position of the {@link TinyTraining#corpus()} inputs from the model's own
 * predictions (a seeded Java RNG, so a pure function of the weights and the iteration), rewards
 * it 1 if it is the corpus's next token, and stores the advantage (reward minus the buffer's mean)
 * and the sampling log-probs. The update is the ratio-weighted policy gradient
 * {@code −Σ exp(logp − logp_old)·A} over two epochs of shuffled minibatches of eight sequences,
 * each split into micro-batches of three and five.
 */
final class ToyPolicyGradient {

  static final int EPOCHS = 2;
  static final int MINIBATCH = 8;
  static final int UPDATES_PER_ITERATION = EPOCHS * TinyTraining.SEQUENCES / MINIBATCH;

  /** The rollout buffer: per sequence, its inputs, sampled tokens, advantages, old log-probs. */
  record Rollouts(List<long[]> inputs, List<long[]> actions, List<float[]> advantages,
      List<float[]> oldLogProbs) {

    int size() {
      return inputs.size();
    }

    Rollouts rows(int[] indices) {
      List<long[]> in = new ArrayList<>();
      List<long[]> act = new ArrayList<>();
      List<float[]> adv = new ArrayList<>();
      List<float[]> old = new ArrayList<>();
      for (int i : indices) {
        in.add(inputs.get(i));
        act.add(actions.get(i));
        adv.add(advantages.get(i));
        old.add(oldLogProbs.get(i));
      }
      return new Rollouts(in, act, adv, old);
    }
  }

  /** One micro-batch, knowing where it belongs (so a test can crash at a chosen update). */
  record MicroBatch(long iteration, int update, Rollouts rows) {}

  private ToyPolicyGradient() {}

  static IterationOptions options(long iterations, long seed) {
    return new IterationOptions(iterations, LearningRateSchedule.constant(0.05, iterations),
        new AdamW.Config(0.9, 0.99, 1e-8, 0.01, false), 1.0, seed);
  }

  static RolloutIterations.BufferBuilder<Rollouts> builder(TinyLm model, long seed,
      AtomicInteger calls) {
    TokenBatch corpus = TinyTraining.corpus();
    return (iteration, manager) -> {
      calls.incrementAndGet();
      int sequences = corpus.size();
      int length = corpus.length();
      int vocab = TinyTraining.VOCAB;
      NDArray logits = model.forward(new ParameterStore(manager, false),
          new NDList(corpus.inputArray(manager)), false).singletonOrThrow();
      float[] probabilities = logits.softmax(-1).toFloatArray();
      Random random = new Random(ShuffledOrder.mix(seed, iteration));
      long[] actions = new long[sequences * length];
      float[] rewards = new float[actions.length];
      double rewardSum = 0;
      for (int position = 0; position < actions.length; position++) {
        double u = random.nextDouble();
        int token = 0;
        double cumulative = probabilities[position * vocab];
        while (cumulative < u && token < vocab - 1) {
          token++;
          cumulative += probabilities[position * vocab + token];
        }
        actions[position] = token;
        int s = position / length;
        rewards[position] = corpus.targets().get(s)[position % length] == token ? 1f : 0f;
        rewardSum += rewards[position];
      }
      NDArray actionArray = manager.create(actions, new Shape(sequences, length));
      float[] logProbs = TokenLosses.tokenLogProbs(logits, actionArray).toFloatArray();
      float mean = (float) (rewardSum / actions.length);
      List<long[]> actionRows = new ArrayList<>();
      List<float[]> advantageRows = new ArrayList<>();
      List<float[]> logProbRows = new ArrayList<>();
      for (int s = 0; s < sequences; s++) {
        long[] a = new long[length];
        float[] adv = new float[length];
        float[] lp = new float[length];
        for (int t = 0; t < length; t++) {
          a[t] = actions[s * length + t];
          adv[t] = rewards[s * length + t] - mean;
          lp[t] = logProbs[s * length + t];
        }
        actionRows.add(a);
        advantageRows.add(adv);
        logProbRows.add(lp);
      }
      Rollouts rollouts = new Rollouts(corpus.inputs(), actionRows, advantageRows, logProbRows);
      return new RolloutIterations.Buffer<>(rollouts,
          Statistics.of("reward", rewardSum, actions.length));
    };
  }

  static RolloutIterations.UpdatePlan<Rollouts, MicroBatch> plan(long seed) {
    return (rollouts, iteration) -> {
      List<List<MicroBatch>> updates = new ArrayList<>();
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        int[] order = ShuffledOrder.permutation(ShuffledOrder.mix(seed, iteration, epoch),
            rollouts.size());
        for (int from = 0; from < order.length; from += MINIBATCH) {
          int update = updates.size();
          int[] first = java.util.Arrays.copyOfRange(order, from, from + 3);
          int[] rest = java.util.Arrays.copyOfRange(order, from + 3, from + MINIBATCH);
          updates.add(List.of(new MicroBatch(iteration, update, rollouts.rows(first)),
              new MicroBatch(iteration, update, rollouts.rows(rest))));
        }
      }
      return updates;
    };
  }

  /**
   * The loss summed over tokens, count = tokens; statistics: the share of tokens whose ratio left
   * [0.8, 1.2] ("clipFraction") and the estimate mean(logp_old − logp) ("approxKl").
   */
  static Objective<MicroBatch> objective(TinyLm model) {
    return (batch, parameters, manager) -> {
      Rollouts rows = batch.rows();
      int sequences = rows.size();
      int length = rows.inputs().get(0).length;
      Shape shape = new Shape(sequences, length);
      NDArray logits = model.forward(parameters,
          new NDList(manager.create(flatLongs(rows.inputs()), shape)), true).singletonOrThrow();
      NDArray logProbs = TokenLosses.tokenLogProbs(logits,
          manager.create(flatLongs(rows.actions()), shape));
      float[] old = flatFloats(rows.oldLogProbs());
      NDArray ratio = logProbs.sub(manager.create(old, shape)).exp();
      NDArray sum = ratio.mul(manager.create(flatFloats(rows.advantages()), shape)).sum().neg();
      float[] ratios = ratio.toFloatArray();
      float[] now = logProbs.toFloatArray();
      double clipped = 0;
      double klSum = 0;
      for (int i = 0; i < ratios.length; i++) {
        clipped += Math.abs(ratios[i] - 1) > 0.2 ? 1 : 0;
        klSum += old[i] - now[i];
      }
      int tokens = sequences * length;
      return new Objective.Loss(sum, tokens, tokens,
          Statistics.of("clipFraction", clipped, tokens).with("approxKl", klSum, tokens));
    };
  }

  private static long[] flatLongs(List<long[]> rows) {
    int length = rows.get(0).length;
    long[] flat = new long[rows.size() * length];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * length, length);
    }
    return flat;
  }

  private static float[] flatFloats(List<float[]> rows) {
    int length = rows.get(0).length;
    float[] flat = new float[rows.size() * length];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * length, length);
    }
    return flat;
  }
}
