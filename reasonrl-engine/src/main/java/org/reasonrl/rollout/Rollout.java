package org.reasonrl.rollout;

/**
 * One sampled completion.
 *
 * @param promptIndex which prompt of the request
 * @param sampleIndex which of that prompt's samples
 * @param promptTokens the prompt as the model saw it (with BOS when the tokenizer has one)
 * @param tokens the generated tokens, including the EOS token when {@link #stop()} is EOS
 * @param logprobs per generated token, the model's log-probability (temperature 1, no nucleus
 *     cut): its likelihood. Not PPO's old log-probs when sampling at T ≠ 1 — the ratio is taken
 *     at the sampling temperature (see the {@code org.reasonrl.train.rl} package documentation)
 * @param samplingLogprobs per generated token, the log-probability under the distribution it was
 *     actually drawn from (tempered, nucleus-renormalised; 0 for greedy); with topP = 1, what the
 *     training forward's tempered log-probs should reproduce to float rounding
 * @param completion the generated text, without special tokens
 * @param stop why generation ended
 */
public record Rollout(
    int promptIndex,
    int sampleIndex,
    int[] promptTokens,
    int[] tokens,
    float[] logprobs,
    float[] samplingLogprobs,
    String completion,
    StopReason stop) {

  /** The full sequence a scorer reads: {@link #promptTokens()} then {@link #tokens()}. */
  public int[] sequence() {
    return sequenceOf(promptTokens, tokens);
  }

  /** {@code promptTokens} followed by {@code tokens}, for records that keep them apart. */
  public static int[] sequenceOf(int[] promptTokens, int[] tokens) {
    int[] sequence = java.util.Arrays.copyOf(promptTokens, promptTokens.length + tokens.length);
    System.arraycopy(tokens, 0, sequence, promptTokens.length, tokens.length);
    return sequence;
  }

  /** Sum of {@link #logprobs()}: the model's log-likelihood of the completion. */
  public double totalLogprob() {
    double sum = 0;
    for (float logprob : logprobs) {
      sum += logprob;
    }
    return sum;
  }

  /**
   * This rollout with every {@code token} left out of its tokens (and their log-probabilities):
   * a step-conditioned solution as a reader that never saw the condition token sees it.
   */
  public Rollout withoutToken(int token) {
    int[] kept = java.util.stream.IntStream.range(0, tokens.length)
        .filter(t -> tokens[t] != token).toArray();
    int[] keptTokens = new int[kept.length];
    float[] keptLogprobs = new float[kept.length];
    float[] keptSampling = new float[kept.length];
    for (int i = 0; i < kept.length; i++) {
      keptTokens[i] = tokens[kept[i]];
      keptLogprobs[i] = logprobs[kept[i]];
      keptSampling[i] = samplingLogprobs[kept[i]];
    }
    return new Rollout(promptIndex, sampleIndex, promptTokens, keptTokens, keptLogprobs,
        keptSampling, completion, stop);
  }
}
