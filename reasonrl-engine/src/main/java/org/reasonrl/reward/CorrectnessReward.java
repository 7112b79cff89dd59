package org.reasonrl.reward;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;

/**
 * The sparse reward (PAPER.md): on the last generated token, 1 when the final answer is correct
 * ({@link Judgement}), 0 when it is wrong, and minus a penalty (default 0) when no answer can be
 * extracted at all. A wrong answer written without a {@code #### N} line is wrong, not malformed:
 * the flexible extraction still finds its last number ({@link Judgement#strict()} tells them
 * apart for a filter that wants the strict line).
 */
public final class CorrectnessReward implements RewardFunction {

  public static final double DEFAULT_MALFORMED_PENALTY = 0;

  private final double malformedPenalty;

  /** With {@link #DEFAULT_MALFORMED_PENALTY}. */
  public CorrectnessReward() {
    this(DEFAULT_MALFORMED_PENALTY);
  }

  /** @param malformedPenalty subtracted when no answer can be extracted; finite and >= 0 */
  public CorrectnessReward(double malformedPenalty) {
    if (!(malformedPenalty >= 0) || Double.isInfinite(malformedPenalty)) {
      throw new IllegalArgumentException("the malformed-answer penalty must be finite and >= 0"
          + " but was " + malformedPenalty);
    }
    this.malformedPenalty = malformedPenalty;
  }

  /** The sequence-level reward of a judgement: 1, 0 or −penalty. */
  public double reward(Judgement judgement) {
    if (judgement.correct()) {
      return 1;
    }
    return judgement.malformed() ? -malformedPenalty : 0;
  }

  /** The rewards of one rollout answering {@code problem}. */
  public TokenRewards score(Rollout rollout, Problem problem) {
    Judgement judgement = Judgement.of(rollout.completion(), problem.answer());
    return TokenRewards.atLastToken(rollout.tokens().length, reward(judgement), judgement);
  }

  @Override
  public List<TokenRewards> score(List<Rollout> rollouts, List<Problem> problems) {
    RewardFunction.checkPaired(rollouts, problems);
    List<TokenRewards> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      out.add(score(rollouts.get(i), problems.get(i)));
    }
    return out;
  }
}
