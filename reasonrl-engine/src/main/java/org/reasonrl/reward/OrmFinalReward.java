package org.reasonrl.reward;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;

/**
 * The sparse ORM reward (PAPER.md): the outcome reward model's probability that the whole
 * solution is correct (its score at the last token of prompt + solution), on the last generated
 * token. The batch is scored in batched passes of {@link OutcomeRewardModel#scoreFinal}. The
 * probability is computed in float32, so the float reward holds it exactly.
 */
public final class OrmFinalReward implements RewardFunction {

  private final OutcomeRewardModel orm;
  private final int batchSize;
  private final int padId;

  /**
   * @param batchSize sequences per ORM forward pass
   * @param padId the token left padding is filled with (masked out)
   */
  public OrmFinalReward(OutcomeRewardModel orm, int batchSize, int padId) {
    this.orm = orm;
    this.batchSize = OrmStepReward.checkBatchSize(batchSize);
    this.padId = padId;
  }

  @Override
  public List<TokenRewards> score(List<Rollout> rollouts, List<Problem> problems) {
    RewardFunction.checkPaired(rollouts, problems);
    double[] scores = orm.scoreFinal(rollouts.stream().map(Rollout::sequence).toList(),
        batchSize, padId);
    List<TokenRewards> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      out.add(TokenRewards.atLastToken(rollout.tokens().length, scores[i],
          Judgement.of(rollout.completion(), problems.get(i).answer())));
    }
    return out;
  }
}
