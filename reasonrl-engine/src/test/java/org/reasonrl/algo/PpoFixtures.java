package org.reasonrl.algo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Problem;
import org.reasonrl.reward.Judgement;
import org.reasonrl.reward.RewardFunction;
import org.reasonrl.reward.TokenRewards;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * A bandit-like task for the policy-gradient job on the tiny random model: a response earns the
 * share of its tokens whose id is even (about 0.5 for a random policy, 1 for one that learned to
 * write only even ids), as one reward on its last token.
 */
final class PpoFixtures {

  static final String EVEN_TOKENS = "even-tokens";

  private PpoFixtures() {}

  /** The toy reward. */
  static RewardFunction evenTokens() {
    return (rollouts, problems) -> {
      RewardFunction.checkPaired(rollouts, problems);
      List<TokenRewards> out = new ArrayList<>(rollouts.size());
      for (int i = 0; i < rollouts.size(); i++) {
        Rollout rollout = rollouts.get(i);
        int even = 0;
        for (int token : rollout.tokens()) {
          even += token % 2 == 0 ? 1 : 0;
        }
        Problem problem = problems.get(i);
        out.add(TokenRewards.atLastToken(rollout.tokens().length,
            (double) even / rollout.tokens().length,
            Judgement.of(rollout.completion(), problem.answer())));
      }
      return out;
    };
  }

  /** A fast run: 8 questions × K=4 of up to 8 tokens an iteration, 2 epochs, minibatches of 16. */
  static PpoSpec spec(Path checkpoint, DatasetSpec data, Path output, String advantage,
      int iterations, double learningRate) {
    return new PpoSpec(checkpoint, data, 0, output, advantage, EVEN_TOKENS, null, 0, iterations,
        8, RolloutSpec.of(4, 1.0, 8, 32),
        new PpoSpec.PolicyLoss(2, 0.2, 0.2, "", "shared", 0.2, 0.5, 0.0, 1.0, 0.95, false),
        new PpoSpec.KlPenalty("k1", 0.05, "reward", 0, 10_000, 0),
        new Optimization(iterations, 16, 16, learningRate, 0, 0.0, 1.0, 1, 1), 0,
        data.withSplit("test"), 4, RolloutSpec.of(2, 1.0, 8, 32), null, 5);
  }

  static PpoSpec withLoss(PpoSpec s, PpoSpec.PolicyLoss loss) {
    return new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(), s.advantage(),
        s.reward(), s.ormCheckpoint(), s.malformedPenalty(), s.iterations(),
        s.questionsPerIteration(), s.rollout(), loss, s.kl(), s.optimization(), s.evalEvery(),
        s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed());
  }

  static PpoSpec withKl(PpoSpec s, PpoSpec.KlPenalty kl) {
    return new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(), s.advantage(),
        s.reward(), s.ormCheckpoint(), s.malformedPenalty(), s.iterations(),
        s.questionsPerIteration(), s.rollout(), s.loss(), kl, s.optimization(), s.evalEvery(),
        s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed());
  }
}
