package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Seven tokens (two rows of four, the last entry padding) with chosen ratios r and advantages A.
 * With clip-higher (ε_low 0.2, ε_high 0.28), per token, loss = max(−A·r, −A·clip(r, 0.8, 1.28))
 * and d loss / d log p = −A·r where the unclipped term is the larger, 0 where the clipped one is:
 * <pre>
 *   A   r      −A·r    −A·clip   loss    d/dlogp  clipped
 *   +1  1.1    −1.1    −1.1      −1.1    −1.1
 *   +1  1.5    −1.5    −1.28     −1.28    0       yes (too far up)
 *   +1  0.5    −0.5    −0.8      −0.5    −0.5     (pessimistic side: not clipped)
 *   −1  0.5     0.5     0.8       0.8     0       yes (too far down)
 *   −1  1.5     1.5     1.28      1.5     1.5
 *   +1  1.25   −1.25   −1.25     −1.25   −1.25    (inside 1.28; a symmetric 0.2 would clip)
 *   −1  1.25    1.25    1.25      1.25    1.25
 * </pre>
 * Token-mean over 7 tokens: loss = −0.58/7, clip fraction 2/7.
 */
class ClippedPolicyLossTest {

  private static final float[] ADVANTAGES = {1, 1, 1, -1, -1, 1, -1, 5};
  private static final float[] RATIOS = {1.1f, 1.5f, 0.5f, 0.5f, 1.5f, 1.25f, 1.25f, 3f};
  private static final float[] MASK = {1, 1, 1, 1, 1, 1, 1, 0};
  private static final float OLD_LOGPROB = -1.5f;
  private static final Shape SHAPE = new Shape(2, 4);

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void clipHigherLossGradientAndClipFractionMatchTheTable() {
    Run run = run(ClipRange.asymmetric(0.2, 0.28));
    assertEquals(-0.58 / 7, run.loss, 1e-6);
    float[] expected = {-1.1f, 0, -0.5f, 0, 1.5f, -1.25f, 1.25f, 0};
    assertArrayEquals(divide(expected, 7), run.gradient, 1e-6f);
    assertEquals(2.0 / 7, run.result.clipFraction(), 1e-12);
    assertEquals(7, run.result.tokens());
  }

  @Test
  void aSymmetricClipAlsoClipsTheTokenBetweenOnePointTwoAndOnePointTwoEight() {
    // Token 6 (A = +1, r = 1.25): loss max(−1.25, −1.2) = −1.2, gradient 0; token 2 (r = 1.5)
    // is now capped at −1.2 instead of −1.28. The rest as before.
    Run run = run(ClipRange.symmetric(0.2));
    assertEquals((-0.58 + (1.28 - 1.2) + (1.25 - 1.2)) / 7, run.loss, 1e-6);
    float[] expected = {-1.1f, 0, -0.5f, 0, 1.5f, 0, 1.25f, 0};
    assertArrayEquals(divide(expected, 7), run.gradient, 1e-6f);
    assertEquals(3.0 / 7, run.result.clipFraction(), 1e-12);
  }

  @Test
  void approxKlIsTheK3EstimateOfOldToNew() {
    double sum = 0;
    for (int t = 0; t < 7; t++) {
      sum += RATIOS[t] - 1 - Math.log(RATIOS[t]);
    }
    assertEquals(sum / 7, run(ClipRange.symmetric(0.2)).result.approxKl(), 1e-6);
  }

  @Test
  void dualClipCapsTheLossOfNegativeAdvantagesAtCTimesMinusA() {
    // c = 3, ε = 0.2. A = −1, r = 5: max(5, 1.2) = 5, capped at 3, gradient 0.
    // A = −1, r = 2: 2 < 3 stays, gradient 2. A = +1, r = 5: max(−5, −1.2) = −1.2, untouched.
    float[] advantages = {-1, -1, 1};
    float[] ratios = {5, 2, 5};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Shape shape = new Shape(1, 3);
      NDArray old = manager.zeros(shape);
      NDArray a = manager.create(advantages, shape);
      NDArray mask = manager.ones(shape);
      ClippedPolicyLoss loss = new ClippedPolicyLoss(ClipRange.symmetric(0.2).withDualClip(3),
          new LossAggregation.TokenMean());
      Autograd.Result result = Autograd.of(manager, logs(ratios, 0), shape,
          logp -> loss.compute(logp, old, a, mask).loss().mean());
      assertEquals((3 + 2 - 1.2) / 3, result.value(), 1e-6);
      assertArrayEquals(new float[] {0, 2f / 3, 0}, result.gradient(), 1e-6f);
    }
  }

  @Test
  void theAggregationDecidesTheWeights() {
    // seq-mean-token-mean: row 0 has 4 tokens, row 1 has 3: each row's mean, then their mean.
    Run run = run(ClipRange.asymmetric(0.2, 0.28), new LossAggregation.SequenceMeanTokenMean());
    double row0 = (-1.1 - 1.28 - 0.5 + 0.8) / 4;
    double row1 = (1.5 - 1.25 + 1.25) / 3;
    assertEquals((row0 + row1) / 2, run.loss, 1e-6);
    float[] expected = {-1.1f / 8, 0, -0.5f / 8, 0, 1.5f / 6, -1.25f / 6, 1.25f / 6, 0};
    assertArrayEquals(expected, run.gradient, 1e-6f);
  }

  private record Run(double loss, float[] gradient, PolicyLossResult result) {}

  private static Run run(ClipRange clip) {
    return run(clip, new LossAggregation.TokenMean());
  }

  private static Run run(ClipRange clip, LossAggregation aggregation) {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray old = manager.full(SHAPE, OLD_LOGPROB);
      NDArray advantages = manager.create(ADVANTAGES, SHAPE);
      NDArray mask = manager.create(MASK, SHAPE);
      ClippedPolicyLoss loss = new ClippedPolicyLoss(clip, aggregation);
      PolicyLossResult[] result = new PolicyLossResult[1];
      Autograd.Result out = Autograd.of(manager, logs(RATIOS, OLD_LOGPROB), SHAPE, logp -> {
        result[0] = loss.compute(logp, old, advantages, mask);
        return result[0].loss().mean();
      });
      return new Run(out.value(), out.gradient(), result[0]);
    }
  }

  /** log p = log r + log p_old, so that exp(log p − log p_old) = r. */
  private static float[] logs(float[] ratios, float old) {
    float[] out = new float[ratios.length];
    for (int i = 0; i < ratios.length; i++) {
      out[i] = (float) Math.log(ratios[i]) + old;
    }
    return out;
  }

  private static float[] divide(float[] values, float by) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] / by;
    }
    return out;
  }
}
