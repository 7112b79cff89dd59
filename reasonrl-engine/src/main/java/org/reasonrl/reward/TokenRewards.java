package org.reasonrl.reward;

/**
 * The rewards of one rollout, one per generated token (a sequence-level reward sits on the last
 * generated token), with the correctness of its final answer, which every reward function
 * judges (it is cheap, and RL logs accuracy whatever the reward). Arrays compare by identity.
 *
 * @param perToken a reward per token of {@link org.reasonrl.rollout.Rollout#tokens()} (same
 *     length; a rollout without generated tokens has nowhere to put a reward, so none)
 * @param judgement whether the completion's final answer is correct
 */
public record TokenRewards(float[] perToken, Judgement judgement) {

  /** A single {@code reward} on the last of {@code tokens} generated tokens. */
  public static TokenRewards atLastToken(int tokens, double reward, Judgement judgement) {
    float[] perToken = new float[tokens];
    if (tokens > 0) {
      perToken[tokens - 1] = (float) reward;
    }
    return new TokenRewards(perToken, judgement);
  }

  /** The return of the whole rollout: the sum of {@link #perToken()}. */
  public double total() {
    double sum = 0;
    for (float reward : perToken) {
      sum += reward;
    }
    return sum;
  }

  /** Whether the final answer is correct (EI's filter, the ORM's label). */
  public boolean correct() {
    return judgement.correct();
  }
}
