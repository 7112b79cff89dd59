package org.reasonrl.reward;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.Answers;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;

/**
 * The dense heuristic reward (PAPER.md, "Ours"): each generated step whose result equals a
 * not-yet-matched intermediate value of the reference solution earns 1/(number of reference
 * values) on the step's last token; the sparse {@link CorrectnessReward} is added on the last
 * token.
 *
 * <ul>
 *   <li>Reference values: {@link Answers#referenceStepValues} (every {@code <<expr=result>>}
 *       result, or a line's last number when it has none; the {@code ####} line is not a step).
 *       The embedded benchmark writes one annotation a line, so this is 1/(reference steps).
 *   <li>A generated step is a line ({@link SolutionSteps}); its result is {@link
 *       Answers#stepResult}: the value after {@code =} in its last annotation, else its last
 *       number. Its {@code ####} line is not a step either, so restating the answer earns
 *       nothing beyond the sparse reward.
 *   <li>Reference values are matched as a multiset, numerically ({@code 12} equals
 *       {@code 12.0}): a value the reference holds once is earned once however often it is
 *       written, so the dense part is at most 1.
 *   <li>A problem without a reference solution (SVAMP), or whose reference has no values, gets
 *       no dense part: the reward is the sparse one alone.
 * </ul>
 */
public final class StepMatchReward implements RewardFunction {

  private final SolutionSteps steps;
  private final CorrectnessReward outcome;

  public StepMatchReward(SolutionSteps steps, CorrectnessReward outcome) {
    this.steps = steps;
    this.outcome = outcome;
  }

  @Override
  public List<TokenRewards> score(List<Rollout> rollouts, List<Problem> problems) {
    RewardFunction.checkPaired(rollouts, problems);
    List<TokenRewards> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      Problem problem = problems.get(i);
      TokenRewards rewards = outcome.score(rollout, problem);
      List<BigDecimal> reference = problem.hasReferenceSolution()
          ? Answers.referenceStepValues(problem.referenceSolution()) : List.of();
      if (!reference.isEmpty()) {
        int[] ends = steps.ends(rollout.tokens());
        boolean[] matching = matchingSteps(steps.texts(rollout.tokens(), ends), reference);
        float share = 1f / reference.size();
        for (int s = 0; s < ends.length; s++) {
          if (matching[s]) {
            rewards.perToken()[ends[s] - 1] += share;
          }
        }
      }
      out.add(rewards);
    }
    return out;
  }

  /**
   * Which steps earn: those whose result equals a reference value not matched by an earlier
   * step (first unmatched occurrence taken), answer lines and steps without a number excluded.
   */
  public static boolean[] matchingSteps(List<String> stepTexts, List<BigDecimal> reference) {
    boolean[] matched = new boolean[reference.size()];
    boolean[] earns = new boolean[stepTexts.size()];
    for (int s = 0; s < stepTexts.size(); s++) {
      String text = stepTexts.get(s);
      BigDecimal result = text.strip().startsWith("####") ? null : Answers.stepResult(text);
      if (result == null) {
        continue;
      }
      for (int r = 0; r < reference.size(); r++) {
        if (!matched[r] && reference.get(r).compareTo(result) == 0) {
          matched[r] = true;
          earns[s] = true;
          break;
        }
      }
    }
    return earns;
  }
}
