package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.TokenizedExample;

/**
 * The forward passes a rollout buffer needs before any update, without gradients, laid out as
 * the updates lay them out ({@link SequenceBatch}, right-padded, in micro-batches): the policy's
 * old log-probs and values and the reference's log-probs, per response token, at the rollout
 * temperature. Rows are batched by length (little padding); the policy and the reference run on
 * identical batches, so a policy equal to its reference gets bit-identical log-probs and a KL of
 * exactly 0.
 */
public final class PolicyScoring {

  private PolicyScoring() {}

  /**
   * Per response, per token.
   *
   * @param values empty rows without a critic
   */
  public record Scored(float[][] logprobs, float[][] referenceLogprobs, float[][] values) {}

  /**
   * @param reference the frozen reference policy
   * @param microBatch sequences per forward pass
   */
  public static Scored score(ActorCritic model, ReferencePolicy reference,
      List<TokenizedExample> rows,
      double temperature, int microBatch, int padId, NDManager manager) {
    int n = rows.size();
    float[][] logprobs = new float[n][];
    float[][] referenceLogprobs = new float[n][];
    float[][] values = new float[n][];
    // Similar lengths together, so a forward pads little; results go back to each row's slot.
    Integer[] byLength = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLength[i] = i;
    }
    Arrays.sort(byLength, Comparator.comparingInt(i -> rows.get(i).length()));
    for (int from = 0; from < n; from += microBatch) {
      List<Integer> slots = Arrays.asList(byLength)
          .subList(from, Math.min(n, from + microBatch));
      List<TokenizedExample> part = new ArrayList<>(slots.size());
      slots.forEach(i -> part.add(rows.get(i)));
      try (NDManager scope = manager.newSubManager()) {
        SequenceBatch batch = SequenceBatch.of(part, padId);
        int[] offsets = new int[part.size()];
        int[] lengths = new int[part.size()];
        for (int b = 0; b < offsets.length; b++) {
          offsets[b] = part.get(b).prompt().length - 1;
          lengths[b] = part.get(b).completion().length;
        }
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray inputs = batch.inputArray(scope);
        NDArray attention = batch.attentionArray(scope);
        NDArray targets = batch.targetArray(scope);
        ActorCritic.Output out = model.forward(ps, inputs, attention, false);
        float[][] policy = Ragged.gathered(TemperedLogProbs.of(out.logits(), targets,
            temperature), offsets, lengths);
        NDArray referenceLogits = reference.logits(ps, inputs, attention);
        float[][] ref = Ragged.gathered(TemperedLogProbs.of(referenceLogits, targets,
            temperature), offsets, lengths);
        float[][] value = out.values() == null ? null
            : Ragged.gathered(out.values(), offsets, lengths);
        for (int b = 0; b < part.size(); b++) {
          int slot = slots.get(b);
          logprobs[slot] = policy[b];
          referenceLogprobs[slot] = ref[b];
          values[slot] = value == null ? new float[0] : value[b];
        }
      }
    }
    return new Scored(logprobs, referenceLogprobs, values);
  }
}
