package org.reasonrl.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import org.reasonrl.model.Scalars;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.train.Objective;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.TokenizedExample;

/**
 * Labelled solutions laid out for the ORM: each row is the whole sequence (prompt + solution),
 * right-padded, and the loss covers every solution token. This is {@link SequenceBatch}'s layout
 * shifted by one: teacher forcing drops a sequence's last token from the inputs, but the ORM's
 * prediction at the last token is exactly the one rerank@K uses, so it must be trained.
 *
 * @param ids token ids (B, T)
 * @param attentionMask 1 on real tokens
 * @param lossMask 1 on solution tokens (row weight applied), 0 on prompt and padding
 * @param labels 1 for a correct solution, 0 otherwise (B)
 */
public record OrmBatch(int[][] ids, int[][] attentionMask, float[][] lossMask, float[] labels,
    long tokens) {

  /**
   * @param weights per-sample loss weight (1 unless classes are balanced), same order
   */
  public static OrmBatch of(List<LabelledSample> samples, float[] weights, int padId) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("an ORM batch needs at least one sample");
    }
    List<TokenizedExample> examples = samples.stream()
        .map(s -> new TokenizedExample(s.promptTokens(), s.tokens())).toList();
    // SequenceBatch's loss mask at input t marks target t+1, a solution token; the ORM reads
    // the full sequence, so the same mask shifted right by one marks the solution tokens.
    SequenceBatch teacher = SequenceBatch.of(examples, padId);
    int rows = samples.size();
    int width = teacher.inputs()[0].length + 1;
    int[][] ids = new int[rows][width];
    int[][] attention = new int[rows][width];
    float[][] loss = new float[rows][width];
    float[] labels = new float[rows];
    long tokens = 0;
    for (int r = 0; r < rows; r++) {
      int length = examples.get(r).length();
      Arrays.fill(ids[r], padId);
      ids[r][0] = teacher.inputs()[r][0];
      System.arraycopy(teacher.targets()[r], 0, ids[r], 1, length - 1);
      Arrays.fill(attention[r], 0, length, 1);
      for (int t = 1; t < width; t++) {
        loss[r][t] = teacher.lossMask()[r][t - 1] * weights[r];
      }
      labels[r] = samples.get(r).correct() ? 1f : 0f;
      tokens += length;
    }
    return new OrmBatch(ids, attention, loss, labels, tokens);
  }

  /**
   * Per-token binary cross-entropy of {@code sigmoid(logits)} against each row's label, summed
   * over the (weighted) loss mask; the count is the mask's sum, so the loop's mean is the BCE
   * averaged over solution tokens (Cobbe et al. 2021). Computed in the stable form
   * {@code max(x,0) − x·y + log(1 + e^{−|x|})}.
   *
   * @param logits (B, T) from {@link OutcomeRewardModel#tokenLogits}
   */
  public static NDArray maskedBceSum(NDArray logits, NDArray labels, NDArray lossMask) {
    if (!logits.getShape().equals(lossMask.getShape())
        || labels.getShape().size() != logits.getShape().get(0)) {
      throw new IllegalArgumentException("logits " + logits.getShape() + ", labels "
          + labels.getShape() + " and loss mask " + lossMask.getShape() + " do not match");
    }
    NDArray y = labels.reshape(-1, 1);
    NDArray perToken = Scalars.maximum(logits, 0).sub(logits.mul(y))
        .add(logits.abs().neg().exp().add(1f).log());
    return perToken.mul(lossMask).sum();
  }

  /** The training objective of {@link OrmTraining}. */
  public static Objective<OrmBatch> objective(OutcomeRewardModel orm) {
    return (batch, ps, manager) -> batch.loss(orm, ps, manager);
  }

  Objective.Loss loss(OutcomeRewardModel orm, ParameterStore ps, NDManager manager) {
    NDArray mask = manager.create(lossMask);
    NDArray logits = orm.tokenLogits(ps, manager.create(ids), manager.create(attentionMask), true);
    NDArray sum = maskedBceSum(logits, manager.create(labels), mask);
    double count = mask.toType(DataType.FLOAT64, false).sum().getDouble();
    return new Objective.Loss(sum, count, tokens);
  }
}
