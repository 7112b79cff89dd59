package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WhiteningTest {

  @Test
  void whitensOverAllTokensWithTheUnbiasedVariance() {
    // Tokens 1, 2 | 3: mean 2, unbiased var (1 + 0 + 1)/2 = 1 — a biased var (2/3) would give
    // ±1.2247 instead of ±1.
    float[][] out = Whitening.whiten(new float[][] {{1f, 2f}, {3f}});
    assertArrayEquals(new float[] {-1f, 0f}, out[0], 1e-6f);
    assertArrayEquals(new float[] {1f}, out[1], 1e-6f);
  }

  @Test
  void withoutShiftingTheMeanOnlyTheScaleChanges() {
    // Tokens 0, 4, 8: mean 4, var (16 + 0 + 16)/2 = 16, std 4: (x − 4)/4 + 4 = 3, 4, 5.
    float[][] out = Whitening.whiten(new float[][] {{0f}, {4f, 8f}}, false);
    assertArrayEquals(new float[] {3f}, out[0], 1e-6f);
    assertArrayEquals(new float[] {4f, 5f}, out[1], 1e-6f);
  }

  @Test
  void aConstantBatchWhitensToZeroAndOneTokenIsRefused() {
    float[][] out = Whitening.whiten(new float[][] {{2f, 2f}, {2f}});
    assertArrayEquals(new float[] {0f, 0f}, out[0], 0f);
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> Whitening.whiten(new float[][] {{2f}, {}}));
    assertTrue(one.getMessage().contains("at least 2 tokens"), one.getMessage());
  }

  @Test
  void explainedVarianceIsOneForAPerfectCriticAndZeroForTheMean() {
    float[][] returns = {{1f, 3f}, {5f}};
    assertEquals(1, TokenStatistics.explainedVariance(returns, returns), 1e-9);
    float[][] mean = {{3f, 3f}, {3f}};
    assertEquals(0, TokenStatistics.explainedVariance(mean, returns), 1e-9);
    // Residuals (1, 1, −1): var 4/3; returns' var 4: 1 − (4/3)/4 = 2/3.
    float[][] off = {{0f, 2f}, {6f}};
    assertEquals(2.0 / 3, TokenStatistics.explainedVariance(off, returns), 1e-6);
  }
}
