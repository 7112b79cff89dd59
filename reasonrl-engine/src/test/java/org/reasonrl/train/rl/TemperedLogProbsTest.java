package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

class TemperedLogProbsTest {

  private static final int B = 2;
  private static final int T = 3;
  private static final int V = 5;
  private static final double TEMPERATURE = 0.7;
  private static final long[] TOKENS = {4, 0, 2, 1, 3, 3};

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  private static float[] logits() {
    float[] raw = new float[B * T * V];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) Math.sin(i * 1.7) * 3;
    }
    return raw;
  }

  @Test
  void logProbsAndEntropyMatchALogSoftmaxComputedInJava() {
    float[] raw = logits();
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logits = manager.create(raw, new Shape(B, T, V));
      float[] logProbs = TemperedLogProbs.of(logits, manager.create(TOKENS, new Shape(B, T)),
          TEMPERATURE).toFloatArray();
      float[] entropy = Entropy.ofLogits(logits, TEMPERATURE).toFloatArray();
      for (int row = 0; row < B * T; row++) {
        double[] logSoftmax = javaLogSoftmax(raw, row * V, TEMPERATURE);
        assertEquals(logSoftmax[(int) TOKENS[row]], logProbs[row], 1e-5, "row " + row);
        double h = 0;
        for (double lp : logSoftmax) {
          h -= Math.exp(lp) * lp;
        }
        assertEquals(h, entropy[row], 1e-5, "row " + row);
      }
    }
  }

  @Test
  void oldLogProbsRecomputedAtTheSamplingTemperatureGiveARatioOfExactlyOne() {
    // The job's step 0: old log-probs from the training forward at T, kept as Java arrays,
    // uploaded again; nothing has been updated, so the ratio must be exactly 1.
    float[] raw = logits();
    int[] lengths = {3, 2};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logits = manager.create(raw, new Shape(B, T, V));
      NDArray tokens = manager.create(TOKENS, new Shape(B, T));
      float[][] recorded = Ragged.unpadded(TemperedLogProbs.of(logits, tokens, TEMPERATURE),
          lengths);
      NDArray old = Ragged.padded(manager, recorded, T);
      NDArray mask = Ragged.mask(manager, lengths, T);
      NDArray advantages = Ragged.padded(manager, new float[][] {{1, -2, 0.5f}, {3, -1}}, T);

      NDArray logprobs = TemperedLogProbs.of(logits, tokens, TEMPERATURE);
      float[] logRatio = logprobs.sub(old).mul(mask).toFloatArray();
      assertArrayEquals(new float[B * T], logRatio, 0f);
      PolicyLossResult result = new ClippedPolicyLoss(ClipRange.symmetric(0.2),
          new LossAggregation.TokenMean()).compute(logprobs, old, advantages, mask);
      assertEquals(0, result.clipFraction());
      assertEquals(0, result.approxKl());
      // r = 1 everywhere: the loss is −mean(A) = −(1 − 2 + 0.5 + 3 − 1)/5.
      assertEquals(-1.5 / 5, result.loss().mean().getFloat(), 1e-7);
      // A reference equal to the policy: KL exactly 0 at step 0.
      assertArrayEquals(new float[B * T],
          KlEstimator.K3.of(logprobs, old).mul(mask).toFloatArray(), 0f);

      // Temperature-1 log-probs (Rollout.logprobs) against the tempered policy: not a ratio of 1.
      NDArray untempered = Ragged.padded(manager, Ragged.unpadded(
          TemperedLogProbs.of(logits, tokens, 1), lengths), T);
      float[] wrong = logprobs.sub(untempered).mul(mask).abs().toFloatArray();
      float largest = 0;
      for (float w : wrong) {
        largest = Math.max(largest, w);
      }
      assertTrue(largest > 0.05, "temperature 1 vs 0.7 log-ratio only " + largest);
    }
  }

  @Test
  void raggedRowsRoundTripThroughPaddedArrays() {
    float[][] rows = {{1, 2, 3}, {}, {4}};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray padded = Ragged.padded(manager, rows, 4);
      assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 0, 0, 4, 0, 0, 0}, padded.toFloatArray());
      assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0},
          Ragged.mask(manager, Ragged.lengths(rows), 4).toFloatArray());
      float[][] back = Ragged.unpadded(padded, Ragged.lengths(rows));
      for (int i = 0; i < rows.length; i++) {
        assertArrayEquals(rows[i], back[i]);
      }
    }
  }

  @Test
  void greedyIsNotATemperatureToLearnAt() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logits = manager.zeros(new Shape(1, 1, 2));
      NDArray tokens = manager.zeros(new Shape(1, 1)).toType(ai.djl.ndarray.types.DataType.INT64,
          false);
      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
          () -> TemperedLogProbs.of(logits, tokens, 0));
      assertTrue(zero.getMessage().contains("must be > 0"), zero.getMessage());
    }
  }

  private static double[] javaLogSoftmax(float[] raw, int offset, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < V; v++) {
      max = Math.max(max, raw[offset + v] / temperature);
    }
    double sum = 0;
    for (int v = 0; v < V; v++) {
      sum += Math.exp(raw[offset + v] / temperature - max);
    }
    double[] out = new double[V];
    for (int v = 0; v < V; v++) {
      out[v] = raw[offset + v] / temperature - max - Math.log(sum);
    }
    return out;
  }
}
