package org.reasonrl.algo;

/**
 * One sampled solution with its correctness label, as stored in {@code samples.jsonl}.
 *
 * @param problemId the question's id
 * @param heldOut whether the question is in the validation share (never trained on)
 * @param sampleIndex which of the question's K samples
 * @param promptTokens the prompt as the policy saw it
 * @param tokens the generated tokens (EOS included when the policy ended with it)
 * @param completion the generated text
 * @param answer the extracted final answer (normalised), or {@code null}
 * @param correct whether that answer equals the gold answer: the ORM's label
 */
public record LabelledSample(String problemId, boolean heldOut, int sampleIndex,
    int[] promptTokens, int[] tokens, String completion, String answer, boolean correct) {

  /** Prompt followed by solution: what the ORM reads. */
  public int[] sequence() {
    return org.reasonrl.rollout.Rollout.sequenceOf(promptTokens, tokens);
  }
}
