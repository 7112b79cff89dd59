package org.reasonrl.reward;

import java.util.List;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;

/**
 * Per-token rewards for sampled solutions. A batch at a time, so a learned reward model scores
 * many sequences in one batched pass.
 */
public interface RewardFunction {

  /**
   * The rewards of each rollout, in order.
   *
   * @param problems {@code problems.get(i)} is the problem {@code rollouts.get(i)} answers
   */
  List<TokenRewards> score(List<Rollout> rollouts, List<Problem> problems);

  /**
   * {@link #score} for rollouts of one sampling request, whose {@link Rollout#promptIndex()}
   * indexes {@code promptProblems} (the problems in the order their prompts were sampled).
   */
  default List<TokenRewards> scoreByPrompt(List<Rollout> rollouts, List<Problem> promptProblems) {
    return score(rollouts, rollouts.stream().map(r -> promptProblems.get(r.promptIndex()))
        .toList());
  }

  /** Fails unless there is one problem per rollout. */
  static void checkPaired(List<Rollout> rollouts, List<Problem> problems) {
    if (rollouts.size() != problems.size()) {
      throw new IllegalArgumentException(rollouts.size() + " rollouts but " + problems.size()
          + " problems: give the problem of each rollout");
    }
  }
}
