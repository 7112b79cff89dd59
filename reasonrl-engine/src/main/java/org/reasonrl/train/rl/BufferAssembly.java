package org.reasonrl.train.rl;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.train.Statistics;

/**
 * Scored responses → the samples one iteration trains on: rewards shaped by the KL penalty when
 * it is in the reward, advantages from the method's estimator (with the critic's values or the
 * groups, as it needs), DAPO's dynamic sampling for group methods, and the batch's statistics:
 * {@code reward/mean}, {@code reward/accuracy}, {@code response/length} (per response),
 * {@code kl/reference} (per token, by the run's estimator; exactly 0 while the policy is the
 * reference), {@code kl/coefficient}, {@code samples/trained} and, with a critic,
 * {@code value/explainedVariance} (of the values at rollout time against the returns).
 *
 * @param klInReward subtract {@code β·kl_t} from every token's reward (else the KL is a loss
 *     term, or off)
 * @param dynamicSampling keep only groups whose rewards differ (group methods only; if every
 *     group is uniform all are kept, with zero advantages, so iterations stay aligned with the
 *     rollouts used)
 */
public record BufferAssembly(PolicyGradientMethod method, KlEstimator klEstimator,
    boolean klInReward, boolean dynamicSampling) {

  /**
   * One scored response.
   *
   * @param rewards per response token, from the reward function
   */
  public record Response(int question, int group, int[] prompt, int[] response, float[] rewards,
      boolean correct) {}

  /**
   * @param sequenceKl the batch's mean KL per response (what an adaptive controller reads)
   */
  public record Assembled(List<PolicySample> samples, Statistics statistics,
      double sequenceKl) {}

  /**
   * @param scored the forwards of {@link PolicyScoring} over the same responses, in order
   * @param beta the KL coefficient of this batch
   */
  public Assembled assemble(List<Response> responses, PolicyScoring.Scored scored, double beta) {
    int n = responses.size();
    float[][] rewards = new float[n][];
    int[] groupIds = new int[n];
    double scoreSum = 0;
    int correct = 0;
    long tokens = 0;
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      Response r = responses.get(i);
      rewards[i] = r.rewards();
      groupIds[i] = r.group();
      for (float reward : r.rewards()) {
        scores[i] += reward;
      }
      scoreSum += scores[i];
      correct += r.correct() ? 1 : 0;
      tokens += r.response().length;
    }
    float[][] shaped = klInReward && beta > 0
        ? TokenRewards.withKlPenalty(rewards, scored.logprobs(), scored.referenceLogprobs(),
            klEstimator, beta)
        : rewards;
    double klSum = 0;
    for (float[] row : TokenRewards.perTokenKl(scored.logprobs(), scored.referenceLogprobs(),
        klEstimator)) {
      for (float value : row) {
        klSum += value;
      }
    }
    Groups groups = new Groups(groupIds);
    Advantages advantages = method.estimator().estimate(new AdvantageBatch(shaped,
        method.usesCritic() ? scored.values() : null, method.usesGroups() ? groups : null));
    int[] keep = kept(scores, groups);
    List<PolicySample> samples = new ArrayList<>(keep.length);
    for (int i : keep) {
      Response r = responses.get(i);
      samples.add(new PolicySample(r.question(), r.group(), r.prompt(), r.response(),
          scored.logprobs()[i], scored.referenceLogprobs()[i], scored.values()[i],
          advantages.advantages()[i], advantages.returns()[i], scores[i], r.correct()));
    }
    Statistics statistics = Statistics.of("reward/mean", scoreSum, n)
        .with("reward/accuracy", correct, n)
        .with("response/length", tokens, n)
        .with("kl/reference", klSum, tokens)
        .with("kl/coefficient", beta)
        .with("samples/trained", keep.length);
    if (method.usesCritic()) {
      statistics = statistics.with("value/explainedVariance",
          TokenStatistics.explainedVariance(scored.values(), advantages.returns()));
    }
    return new Assembled(samples, statistics, TokenRewards.meanSequenceKl(scored.logprobs(),
        scored.referenceLogprobs(), klEstimator));
  }

  private int[] kept(double[] scores, Groups groups) {
    int[] all = new int[scores.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    if (!dynamicSampling || !method.usesGroups()) {
      return all;
    }
    int[] informative = DynamicSampling.informativeSequences(scores, groups);
    return informative.length == 0 ? all : informative;
  }
}
