/**
 * The math of policy-gradient RL (PPO, GRPO, Dr. GRPO, RLOO, REINFORCE++), shaped after veRL's
 * {@code core_algos.py}: small pieces a training job composes, each tested on its own.
 *
 * <ul>
 *   <li><b>Advantages</b>, on plain Java arrays outside autograd (one {@code float[]} per
 *       response): {@link org.reasonrl.train.rl.AdvantageEstimator} with one class per method,
 *       chosen by name in {@link org.reasonrl.train.rl.PolicyGradientMethods};
 *       {@link org.reasonrl.train.rl.Whitening}; {@link org.reasonrl.train.rl.TokenRewards}
 *       (sparse scores, KL in the reward); {@link org.reasonrl.train.rl.DynamicSampling}.</li>
 *   <li><b>KL</b>: {@link org.reasonrl.train.rl.KlEstimator} k1, k2, k3 on arrays and NDArrays;
 *       {@link org.reasonrl.train.rl.KlController} fixed or adaptive.</li>
 *   <li><b>Losses</b>, on NDArrays inside autograd:
 *       {@link org.reasonrl.train.rl.ClippedPolicyLoss}, {@link org.reasonrl.train.rl.ClippedValueLoss},
 *       {@link org.reasonrl.train.rl.Entropy}, aggregated by
 *       {@link org.reasonrl.train.rl.LossAggregation} into sums and counts that accumulate over
 *       micro-batches like every {@link org.reasonrl.train.Objective}.</li>
 * </ul>
 *
 * <h2>Which log-probabilities go into the ratio (the temperature convention)</h2>
 *
 * <p>Rollouts are drawn at temperature T (PAPER.md: 0.7) from {@code softmax(z/T)}. PPO's ratio
 * is an importance weight from the distribution the tokens were drawn from to the one being
 * trained, so <b>both sides are computed at the sampling temperature T</b>:
 * {@code r = π_θ,T(a) / π_old,T(a)}, each {@code log π_·,T} from
 * {@link org.reasonrl.train.rl.TemperedLogProbs#of}{@code (logits, tokens, T)}. veRL
 * ({@code logits.div_(temperature)} in the actor), TRL and OpenRLHF all do this. The KL to the
 * reference and the entropy use the same T, so a policy equal to its reference has KL exactly 0.
 *
 * <p>Of the two log-probs {@code rollout.Rollout} records:
 * <ul>
 *   <li>{@code logprobs} are at temperature 1 — not the distribution the tokens came from when
 *       T ≠ 1; a ratio against them is not an importance weight of the rollout (trlx's
 *       convention; use them for likelihoods, not for PPO);</li>
 *   <li>{@code samplingLogprobs} are at T, and equal {@code TemperedLogProbs} when the nucleus is
 *       off ({@code topP = 1}; a nucleus cut renormalises over a set the training forward cannot
 *       reproduce, so PPO samples with {@code topP = 1}).</li>
 * </ul>
 * Even {@code samplingLogprobs} are not fed in as {@code oldLogprobs}: the sampler's KV-cached,
 * left-padded forward rounds differently from the training forward. The job recomputes the old
 * log-probs with the training forward and {@code TemperedLogProbs} before the first update (as
 * veRL recomputes {@code old_log_prob}), so the ratio is exactly 1 at step 0 and the first
 * minibatch is exactly on-policy; {@code samplingLogprobs} then only serve as a check (they
 * should agree to float rounding).
 */
package org.reasonrl.train.rl;
