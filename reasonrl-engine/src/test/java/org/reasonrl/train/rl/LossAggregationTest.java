package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Per-token losses of three sequences: (1, 2, 3, 4), (5, 6) and an empty one; padding holds NaN,
 * which the mask must keep out of both the value and the gradient.
 */
class LossAggregationTest {

  private static final float NAN = Float.NaN;
  private static final float[] LOSS = {1, 2, 3, 4, 5, 6, NAN, NAN, NAN, NAN, NAN, NAN};
  private static final float[] MASK = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  private static final Shape SHAPE = new Shape(3, 4);

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void tokenMeanWeighsEveryTokenAlike() {
    // (1 + … + 6)/6 = 3.5, each token's gradient 1/6.
    Autograd.Result out = mean(new LossAggregation.TokenMean());
    assertEquals(3.5, out.value(), 1e-6);
    assertArrayEquals(weights(1f / 6, 1f / 6), out.gradient(), 1e-7f);
  }

  @Test
  void sequenceMeanTokenMeanAveragesEachSequenceFirst() {
    // (2.5 + 5.5)/2 = 4; the empty sequence counts as none. Gradients 1/(4·2) and 1/(2·2).
    Autograd.Result out = mean(new LossAggregation.SequenceMeanTokenMean());
    assertEquals(4, out.value(), 1e-6);
    assertArrayEquals(weights(1f / 8, 1f / 4), out.gradient(), 1e-7f);
  }

  @Test
  void sequenceSumNormalizedDividesByAConstantNotByLengths() {
    // Dr. GRPO with max length 8: Σ = 21, per sequence / 8, over 2 sequences: 21/16.
    Autograd.Result out = mean(new LossAggregation.SequenceSumNormalized(8));
    assertEquals(21.0 / 16, out.value(), 1e-6);
    assertArrayEquals(weights(1f / 16, 1f / 16), out.gradient(), 1e-7f);
  }

  @Test
  void microBatchSumsAndCountsAddUpToTheWholeBatch() {
    LossAggregation[] modes = {new LossAggregation.TokenMean(),
        new LossAggregation.SequenceMeanTokenMean(), new LossAggregation.SequenceSumNormalized(8)};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray loss = manager.create(LOSS, SHAPE);
      NDArray mask = manager.create(MASK, SHAPE);
      for (LossAggregation mode : modes) {
        AggregatedLoss whole = mode.aggregate(loss, mask);
        AggregatedLoss first = mode.aggregate(loss.get(new NDIndex("0:1")),
            mask.get(new NDIndex("0:1")));
        AggregatedLoss rest = mode.aggregate(loss.get(new NDIndex("1:")),
            mask.get(new NDIndex("1:")));
        double sum = first.sum().getFloat() + rest.sum().getFloat();
        double count = first.count() + rest.count();
        assertEquals(whole.mean().getFloat(), sum / count, 1e-6, mode.name());
        assertEquals(whole.count(), count, mode.name());
      }
      // Averaging the micro-batches' own means would weigh the short half up (token-mean).
      AggregatedLoss first = modes[0].aggregate(loss.get(new NDIndex("0:1")),
          mask.get(new NDIndex("0:1")));
      AggregatedLoss rest = modes[0].aggregate(loss.get(new NDIndex("1:")),
          mask.get(new NDIndex("1:")));
      assertNotEquals(3.5, (first.mean().getFloat() + rest.mean().getFloat()) / 2, 0.1);
    }
  }

  @Test
  void termsOfOneObjectiveAddWithAWeightOnlyOverTheSameCount() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray loss = manager.create(LOSS, SHAPE);
      NDArray mask = manager.create(MASK, SHAPE);
      AggregatedLoss policy = new LossAggregation.TokenMean().aggregate(loss, mask);
      AggregatedLoss value = new LossAggregation.TokenMean().aggregate(loss.neg(), mask);
      assertEquals(3.5 - 0.5 * 3.5, policy.plus(value, 0.5).mean().getFloat(), 1e-6);
      AggregatedLoss perSequence = new LossAggregation.SequenceMeanTokenMean()
          .aggregate(loss, mask);
      assertThrows(IllegalArgumentException.class, () -> policy.plus(perSequence, 1));
      assertEquals(6, policy.toObjectiveLoss(12).count());
    }
  }

  private static Autograd.Result mean(LossAggregation mode) {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray mask = manager.create(MASK, SHAPE);
      return Autograd.of(manager, LOSS, SHAPE, loss -> mode.aggregate(loss, mask).mean());
    }
  }

  /** The gradient layout: first row's 4 tokens, second row's 2, zeros elsewhere. */
  private static float[] weights(float first, float second) {
    return new float[] {first, first, first, first, second, second, 0, 0, 0, 0, 0, 0};
  }
}
