package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ReinforcePlusPlusTest {

  // Sparse scores 1 and 0 on responses of 3 and 2 tokens, with a k1 penalty β = 0.1:
  //   sequence 0: log p (−1, −2, −0.5), log ref (−1.5, −2, −1): k1 = (0.5, 0, 0.5)
  //     rewards (0 − 0.05, 0, 1 − 0.05) = (−0.05, 0, 0.95)
  //   sequence 1: log p (−0.3, −0.7), log ref (−0.3, −0.2): k1 = (0, −0.5)
  //     rewards (0, 0 + 0.05) = (0, 0.05)
  private static final float[][] LOGPROBS = {{-1f, -2f, -0.5f}, {-0.3f, -0.7f}};
  private static final float[][] REFERENCE = {{-1.5f, -2f, -1f}, {-0.3f, -0.2f}};

  private static float[][] penalisedRewards() {
    float[][] scores = TokenRewards.sparse(new double[] {1, 0}, new int[] {3, 2});
    return TokenRewards.withKlPenalty(scores, LOGPROBS, REFERENCE, KlEstimator.K1, 0.1);
  }

  @Test
  void klInTheRewardPenalisesEveryToken() {
    float[][] rewards = penalisedRewards();
    assertArrayEquals(new float[] {-0.05f, 0f, 0.95f}, rewards[0], 1e-6f);
    assertArrayEquals(new float[] {0f, 0.05f}, rewards[1], 1e-6f);
  }

  @Test
  void returnsAreDiscountedSumsAndAdvantagesTheirBatchWhitening() {
    // γ = 1: returns (0.9, 0.95, 0.95) and (0.05, 0.05). Over the 5 tokens: mean 2.9/5 = 0.58,
    // deviations (0.32, 0.37, 0.37, −0.53, −0.53), Σ² = 0.938, unbiased var = 0.938/4 = 0.2345.
    Advantages out = new ReinforcePlusPlus(1).estimate(
        new AdvantageBatch(penalisedRewards(), null, null));
    assertArrayEquals(new float[] {0.9f, 0.95f, 0.95f}, out.returns()[0], 1e-6f);
    assertArrayEquals(new float[] {0.05f, 0.05f}, out.returns()[1], 1e-6f);
    double scale = 1 / Math.sqrt(0.2345 + 1e-8);
    assertArrayEquals(new float[] {(float) (0.32 * scale), (float) (0.37 * scale),
        (float) (0.37 * scale)}, out.advantages()[0], 1e-5f);
    assertArrayEquals(new float[] {(float) (-0.53 * scale), (float) (-0.53 * scale)},
        out.advantages()[1], 1e-5f);
  }

  @Test
  void aDiscountShrinksEarlierReturns() {
    // γ = 0.5: sequence 0 t2 0.95, t1 0 + 0.475, t0 −0.05 + 0.2375; sequence 1 t1 0.05, t0 0.025.
    Advantages out = new ReinforcePlusPlus(0.5).estimate(
        new AdvantageBatch(penalisedRewards(), null, null));
    assertArrayEquals(new float[] {0.1875f, 0.475f, 0.95f}, out.returns()[0], 1e-6f);
    assertArrayEquals(new float[] {0.025f, 0.05f}, out.returns()[1], 1e-6f);
  }
}
