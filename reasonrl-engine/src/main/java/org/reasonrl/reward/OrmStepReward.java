package org.reasonrl.reward;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;

/**
 * The dense ORM reward (PAPER.md, "Ours", potential-based shaping): per step ({@link
 * SolutionSteps}), the change of the ORM's score across the step, on the step's last token. The
 * potential before the first step is 0, so the first step earns its score outright and the
 * rewards of a rollout sum to the ORM's final score ({@link OrmFinalReward}'s reward). Scored in
 * batched passes ({@link OutcomeRewardModel#stepRewards(List, List, int, int)}).
 */
public final class OrmStepReward implements RewardFunction {

  private final OutcomeRewardModel orm;
  private final SolutionSteps steps;
  private final int batchSize;
  private final int padId;

  /**
   * @param batchSize sequences per ORM forward pass
   * @param padId the token left padding is filled with (masked out)
   */
  public OrmStepReward(OutcomeRewardModel orm, SolutionSteps steps, int batchSize, int padId) {
    this.orm = orm;
    this.steps = steps;
    this.batchSize = checkBatchSize(batchSize);
    this.padId = padId;
  }

  @Override
  public List<TokenRewards> score(List<Rollout> rollouts, List<Problem> problems) {
    RewardFunction.checkPaired(rollouts, problems);
    List<int[]> ends = rollouts.stream().map(r -> steps.ends(r.tokens())).toList();
    List<double[]> stepRewards = orm.stepRewards(rollouts, ends, batchSize, padId);
    List<TokenRewards> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      float[] perToken = new float[rollout.tokens().length];
      int[] stepEnds = ends.get(i);
      for (int s = 0; s < stepEnds.length; s++) {
        perToken[stepEnds[s] - 1] = (float) stepRewards.get(i)[s];
      }
      out.add(new TokenRewards(perToken,
          Judgement.of(rollout.completion(), problems.get(i).answer())));
    }
    return out;
  }

  static int checkBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("ORM batch size must be >= 1 but was " + batchSize);
    }
    return batchSize;
  }
}
