package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.reasonrl.model.Scalars;

/**
 * How a (B,T) matrix of per-token losses becomes one number, veRL's {@code loss_agg_mode}. Each
 * mode returns a sum and a count (see {@link AggregatedLoss}) so micro-batches accumulate to the
 * minibatch's value:
 * <ul>
 *   <li>{@link TokenMean} {@code token-mean}: Σ over all masked tokens / their number. Every
 *       token weighs the same; DAPO and veRL's default.</li>
 *   <li>{@link SequenceMeanTokenMean} {@code seq-mean-token-mean}: each sequence's token mean,
 *       averaged over sequences — original GRPO; a long response's tokens weigh less.</li>
 *   <li>{@link SequenceSumNormalized} {@code seq-sum-norm}: Σ over all masked tokens /
 *       (sequences × a constant, e.g. the maximum response length) — Dr. GRPO (TRL's
 *       {@code dr_grpo}): no length normalisation, so no bias towards long wrong answers.</li>
 * </ul>
 * The mask is (B,T), 1 on response tokens that count, 0 on padding; masked-out entries of the
 * loss are ignored even if not finite. Sequences whose mask is empty count as none.
 */
public sealed interface LossAggregation {

  /** The parameter that names a mode, for error messages. */
  String PARAMETER = "lossAggregation";

  AggregatedLoss aggregate(NDArray tokenLoss, NDArray mask);

  /** The mode's name, as {@link #named} reads it. */
  String name();

  /**
   * {@code token-mean}, {@code seq-mean-token-mean} or {@code seq-sum-norm}.
   *
   * @param maxResponseLength the constant of {@code seq-sum-norm}
   */
  static LossAggregation named(String name, int maxResponseLength) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case "token-mean" -> new TokenMean();
      case "seq-mean-token-mean" -> new SequenceMeanTokenMean();
      case "seq-sum-norm" -> new SequenceSumNormalized(maxResponseLength);
      default -> throw new IllegalArgumentException("unknown loss aggregation '" + name
          + "' (parameter " + PARAMETER + "); choose one of token-mean, seq-mean-token-mean,"
          + " seq-sum-norm");
    };
  }

  /** Mean over all masked tokens of the minibatch. */
  record TokenMean() implements LossAggregation {
    @Override
    public AggregatedLoss aggregate(NDArray tokenLoss, NDArray mask) {
      return new AggregatedLoss(maskedSum(tokenLoss, mask), Masks.total(mask));
    }

    @Override
    public String name() {
      return "token-mean";
    }
  }

  /** Mean over sequences of each sequence's mean over its masked tokens. */
  record SequenceMeanTokenMean() implements LossAggregation {
    @Override
    public AggregatedLoss aggregate(NDArray tokenLoss, NDArray mask) {
      float[] perRow = Masks.perRow(mask);
      float[] inverse = new float[perRow.length];
      int sequences = 0;
      for (int b = 0; b < perRow.length; b++) {
        if (perRow[b] > 0) {
          inverse[b] = 1 / perRow[b];
          sequences++;
        }
      }
      NDArray rowSums = masked(tokenLoss, mask).sum(new int[] {1});
      NDArray weights = tokenLoss.getManager().create(inverse).toType(tokenLoss.getDataType(),
          false);
      return new AggregatedLoss(rowSums.mul(weights).sum(), sequences);
    }

    @Override
    public String name() {
      return "seq-mean-token-mean";
    }
  }

  /**
   * Sum over masked tokens divided by {@code constant} per sequence.
   *
   * @param constant the per-sequence normaliser (Dr. GRPO: the maximum response length)
   */
  record SequenceSumNormalized(double constant) implements LossAggregation {
    public SequenceSumNormalized {
      if (!(constant > 0) || Double.isInfinite(constant)) {
        throw new IllegalArgumentException("the seq-sum-norm constant (max response length) must"
            + " be > 0 but was " + constant);
      }
    }

    @Override
    public AggregatedLoss aggregate(NDArray tokenLoss, NDArray mask) {
      int sequences = 0;
      for (float tokens : Masks.perRow(mask)) {
        sequences += tokens > 0 ? 1 : 0;
      }
      return new AggregatedLoss(Scalars.div(maskedSum(tokenLoss, mask), constant), sequences);
    }

    @Override
    public String name() {
      return "seq-sum-norm";
    }
  }

  private static NDArray maskedSum(NDArray tokenLoss, NDArray mask) {
    return masked(tokenLoss, mask).sum();
  }

  /** The loss where the mask is set, 0 elsewhere (veRL's masked_sum: NaN in padding is dropped). */
  private static NDArray masked(NDArray tokenLoss, NDArray mask) {
    Shape shape = tokenLoss.getShape();
    if (shape.dimension() != 2 || !mask.getShape().equals(shape)) {
      throw new IllegalArgumentException("token loss and mask must both be (B,T) but are " + shape
          + " and " + mask.getShape());
    }
    return NDArrays.where(mask.toType(DataType.BOOLEAN, false), tokenLoss,
        tokenLoss.zerosLike());
  }
}
