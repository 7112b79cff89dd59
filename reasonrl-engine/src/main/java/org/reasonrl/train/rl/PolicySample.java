package org.reasonrl.train.rl;

import java.util.List;

/**
 * One scored response of a rollout buffer, everything the updates read, as plain Java data (the
 * buffer is persisted as JSON before the first update, so a resumed iteration trains on exactly
 * these numbers). Per-token arrays have one entry per response token.
 *
 * @param question which training question the response answers
 * @param group its group of K samples (the question's slot in the iteration); group methods
 *     compare a response with the rest of its group
 * @param prompt the prompt tokens as the sampler fed them
 * @param response the generated tokens (EOS included when generation stopped on it)
 * @param oldLogprobs log π_old,T of each token by the training forward, before any update
 * @param referenceLogprobs log π_ref,T of each token (the frozen reference policy)
 * @param oldValues the critic's value before each token; empty without a critic
 * @param advantages per token, from the method's estimator
 * @param returns per token, the critic's target (critic-free methods: their score)
 * @param score the reward function's total for the response, before any KL penalty
 * @param correct whether its final answer is right
 */
public record PolicySample(int question, int group, int[] prompt, int[] response,
    float[] oldLogprobs, float[] referenceLogprobs, float[] oldValues, float[] advantages,
    float[] returns, double score, boolean correct) {

  public PolicySample {
    int n = response.length;
    if (n == 0) {
      throw new IllegalArgumentException("a policy sample needs at least one response token");
    }
    if (oldLogprobs.length != n || referenceLogprobs.length != n || advantages.length != n
        || returns.length != n || (oldValues.length != 0 && oldValues.length != n)) {
      throw new IllegalArgumentException("every per-token array must have the response's " + n
          + " entries");
    }
  }

  /**
   * The rollout buffer of one iteration.
   *
   * @param nextKlCoefficient the KL coefficient for the next iteration, as the controller set it
   *     after this batch (kept with the buffer so a resumed iteration restores it)
   */
  public record Buffer(List<PolicySample> samples, double nextKlCoefficient) {

    public Buffer {
      samples = List.copyOf(samples);
    }
  }
}
