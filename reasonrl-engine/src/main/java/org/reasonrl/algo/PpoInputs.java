package org.reasonrl.algo;

import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.reward.RewardScheme;
import org.reasonrl.train.rl.ActorCritic;
import org.reasonrl.train.rl.ClipRange;
import org.reasonrl.train.rl.GroupNormalized;
import org.reasonrl.train.rl.KlEstimator;
import org.reasonrl.train.rl.LossAggregation;
import org.reasonrl.train.rl.MethodOptions;
import org.reasonrl.train.rl.PolicyGradientMethod;
import org.reasonrl.train.rl.PolicyGradientMethods;

/**
 * The checked inputs of a {@link PolicyOptimization} run: every parameter of its
 * {@link PpoSpec} resolved (method, reward scheme, KL estimator, critic, clip range) or refused
 * with a message naming it, and the checkpoint and datasets loaded — all before the run
 * directory is touched.
 *
 * @param scheme {@code null} when the caller supplies its own reward function
 */
record PpoInputs(PolicyCheckpoint policy, List<Problem> questions, List<Problem> evalProblems,
    PolicyGradientMethod method, RewardScheme scheme, KlEstimator klEstimator,
    ActorCritic.Critic critic, ClipRange clip) {

  static PpoInputs check(PpoSpec spec, boolean customReward) {
    PpoSpec.PolicyLoss loss = spec.loss();
    MethodOptions options = new MethodOptions(loss.gamma(), loss.lambda(),
        GroupNormalized.DEFAULT_EPSILON, spec.rollout().maxNewTokens());
    PolicyGradientMethod method = PolicyGradientMethods.named(spec.advantage(), options);
    if (!loss.aggregation().isEmpty()) {
      method = method.withAggregation(LossAggregation.named(loss.aggregation(),
          spec.rollout().maxNewTokens()));
    }
    if (method.usesGroups() && spec.rollout().k() < 2) {
      throw new IllegalArgumentException("advantage '" + method.name() + "' compares the K"
          + " samples of a question: k must be >= 2 but was " + spec.rollout().k());
    }
    if (spec.rollout().topP() != 1) {
      throw new IllegalArgumentException("topP must be 1 for policy-gradient rollouts (the ratio"
          + " is taken under softmax(z/T), which a nucleus cut does not sample from) but was "
          + spec.rollout().topP());
    }
    // ClipRange refuses a clip <= 0 (low also >= 1), naming it.
    ClipRange clip = ClipRange.asymmetric(loss.clipLow(), loss.clipHigh());
    if (loss.epochs() < 1) {
      throw new IllegalArgumentException("epochs must be >= 1 but was " + loss.epochs());
    }
    if (!(loss.valueClip() > 0) || !(loss.valueCoefficient() >= 0)
        || !(loss.entropyCoefficient() >= 0)) {
      throw new IllegalArgumentException("valueClip must be > 0 and valueCoefficient,"
          + " entropyCoefficient >= 0");
    }
    ActorCritic.Critic critic = method.usesCritic() ? ActorCritic.Critic.parse(loss.critic())
        : ActorCritic.Critic.NONE;
    PpoSpec.KlPenalty kl = spec.kl();
    KlEstimator estimator = KlEstimator.named(kl.estimator());
    if (!kl.placement().equals("reward") && !kl.placement().equals("loss")) {
      throw new IllegalArgumentException("klPlacement must be reward or loss but was '"
          + kl.placement() + "'");
    }
    if (!(kl.coefficient() >= 0) || !(kl.target() >= 0) || !(kl.maxKl() >= 0)
        || !(kl.horizon() > 0)) {
      throw new IllegalArgumentException("klCoefficient, klTarget and maxKl must be >= 0 and"
          + " klHorizon > 0");
    }
    if (kl.target() > 0 && kl.inLoss()) {
      throw new IllegalArgumentException("the adaptive KL controller steers the KL in the reward;"
          + " with kl placement 'loss' set klTarget to 0");
    }
    if (spec.lora() != null) {
      if (spec.lora().dropout() != 0) {
        throw new IllegalArgumentException("loraDropout must be 0 for ppo (the old log-probs come"
            + " from a forward without dropout, so the first ratio would not be 1) but was "
            + spec.lora().dropout());
      }
      if (critic == ActorCritic.Critic.SEPARATE) {
        throw new IllegalArgumentException("critic 'separate' trains a second full model; with"
            + " LoRA use critic 'shared'");
      }
    }
    if (!(spec.malformedPenalty() >= 0)) {
      throw new IllegalArgumentException("malformedPenalty (subtracted from the reward of an"
          + " answer that cannot be extracted) must be >= 0 but was " + spec.malformedPenalty());
    }
    RewardScheme scheme = null;
    if (!customReward) {
      scheme = RewardScheme.parse(spec.reward()).checkOrm(spec.ormCheckpoint() != null);
      if (spec.ormCheckpoint() != null && scheme.needsOrm()) {
        PolicyCheckpoint.checkOrm(spec.ormCheckpoint());
      }
    }
    PolicyCheckpoint policy = PolicyCheckpoint.check(spec.checkpoint());
    List<Problem> questions = policy.zeroShotHead(spec.dataset(), spec.maxQuestions());
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("the training set " + spec.dataset() + " has no"
          + " questions");
    }
    List<Problem> evalProblems = policy.zeroShotHead(spec.evalDataset(), spec.evalProblems());
    return new PpoInputs(policy, questions, evalProblems, method, scheme, estimator, critic,
        clip);
  }
}
