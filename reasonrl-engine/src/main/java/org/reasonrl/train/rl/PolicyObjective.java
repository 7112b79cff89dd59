package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.reasonrl.train.Objective;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.Statistics;
import org.reasonrl.train.TokenizedExample;

/**
 * The loss every policy-gradient method minimises on a micro-batch of {@link PolicySample}s:
 * the clipped surrogate, plus (PPO) {@code valueCoefficient ×} the clipped value loss, plus (KL
 * as a loss, GRPO's way) {@code klCoefficient ×} the KL to the reference, minus
 * {@code entropyCoefficient ×} the entropy. Every term is aggregated by the method's
 * {@link LossAggregation} over the same response mask, so the terms share one count and
 * accumulate exactly over micro-batches. Log-probs, KL and entropy are all at the rollout
 * temperature (see the package documentation).
 *
 * <p>Statistics (token means unless noted): {@code policy/clipFraction}, {@code policy/approxKl}
 * (old ‖ new), {@code policy/loss}, {@code entropy}, and with a critic {@code value/loss},
 * {@code value/clipFraction}; with a KL loss {@code kl/loss}.
 *
 * @param klLoss the estimator of the KL loss term; {@code null} when KL is in the reward (or off)
 */
public record PolicyObjective(ActorCritic model, double temperature, ClippedPolicyLoss policyLoss,
    ClippedValueLoss valueLoss, double valueCoefficient, KlEstimator klLoss,
    double klCoefficient, double entropyCoefficient, int padId)
    implements Objective<List<PolicySample>> {

  public PolicyObjective {
    if (valueLoss != null && !model.hasCritic()) {
      throw new IllegalArgumentException("a value loss needs a critic");
    }
  }

  @Override
  public Loss compute(List<PolicySample> batch, ParameterStore parameters, NDManager manager) {
    SequenceBatch sequences = SequenceBatch.of(batch.stream()
        .map(s -> new TokenizedExample(s.prompt(), s.response())).toList(), padId);
    int width = sequences.inputs()[0].length;
    int[] offsets = new int[batch.size()];
    for (int b = 0; b < offsets.length; b++) {
      offsets[b] = batch.get(b).prompt().length - 1;
    }
    ActorCritic.Output out = model.forward(parameters, sequences.inputArray(manager),
        sequences.attentionArray(manager), true);
    // One log-softmax serves the ratio, the KL and the entropy.
    NDArray allTokens = TemperedLogProbs.allTokens(out.logits(), temperature);
    NDArray logprobs = TemperedLogProbs.gather(allTokens, sequences.targetArray(manager));
    NDArray mask = sequences.lossMaskArray(manager);
    NDArray old = Ragged.placed(manager, rows(batch, PolicySample::oldLogprobs), offsets, width);
    NDArray advantages = Ragged.placed(manager, rows(batch, PolicySample::advantages), offsets,
        width);
    PolicyLossResult policy = policyLoss.compute(logprobs, old, advantages, mask);
    double tokens = policy.tokens();
    AggregatedLoss total = policy.loss();
    Statistics statistics = Statistics.of("policy/clipFraction",
            policy.clipFraction() * tokens, tokens)
        .with("policy/approxKl", policy.approxKl() * tokens, tokens)
        .with("policy/loss", scalar(policy.loss().sum()), policy.loss().count());
    if (valueLoss != null) {
      NDArray oldValues = Ragged.placed(manager, rows(batch, PolicySample::oldValues), offsets,
          width);
      NDArray returns = Ragged.placed(manager, rows(batch, PolicySample::returns), offsets,
          width);
      ValueLossResult value = valueLoss.compute(out.values(), oldValues, returns, mask);
      total = total.plus(value.loss(), valueCoefficient);
      statistics = statistics.with("value/loss", scalar(value.loss().sum()), value.loss().count())
          .with("value/clipFraction", value.clipFraction() * tokens, tokens);
    }
    if (klLoss != null) {
      NDArray reference = Ragged.placed(manager, rows(batch, PolicySample::referenceLogprobs),
          offsets, width);
      AggregatedLoss kl = policyLoss.aggregation().aggregate(klLoss.of(logprobs, reference),
          mask);
      total = total.plus(kl, klCoefficient);
      statistics = statistics.with("kl/loss", scalar(kl.sum()), kl.count());
    }
    // Without a bonus the entropy is a statistic only: off the graph.
    NDArray entropy = Entropy.ofLogProbs(entropyCoefficient != 0 ? allTokens
        : allTokens.stopGradient());
    statistics = statistics.with("entropy", Entropy.mean(entropy, mask) * tokens, tokens);
    if (entropyCoefficient != 0) {
      total = total.plus(policyLoss.aggregation().aggregate(entropy, mask), -entropyCoefficient);
    }
    return new Loss(total.sum(), total.count(), sequences.tokens(), statistics);
  }

  private static double scalar(NDArray value) {
    return value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
  }

  static float[][] rows(List<PolicySample> batch,
      java.util.function.Function<PolicySample, float[]> field) {
    float[][] out = new float[batch.size()][];
    for (int b = 0; b < out.length; b++) {
      out[b] = field.apply(batch.get(b));
    }
    return out;
  }
}
