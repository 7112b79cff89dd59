package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaeTest {

  // Two responses of 3 and 2 tokens: a sparse reward of 1 at the end of the first, a dense
  // reward and a penalty in the second.
  private static final float[][] REWARDS = {{0f, 0f, 1f}, {0.2f, -1f}};
  private static final float[][] VALUES = {{0.5f, 0.6f, 0.7f}, {0.1f, 0.3f}};
  private static final AdvantageBatch BATCH = AdvantageBatch.withValues(REWARDS, VALUES);

  @Test
  void advantagesAndReturnsMatchAHandComputationAtGammaOneLambdaPointNineFive() {
    // Sequence 0, from the end (V after the last token = 0):
    //   t2: δ = 1 + 0 − 0.7 = 0.3;              A2 = 0.3
    //   t1: δ = 0 + 0.7 − 0.6 = 0.1;            A1 = 0.1 + 0.95·0.3 = 0.385
    //   t0: δ = 0 + 0.6 − 0.5 = 0.1;            A0 = 0.1 + 0.95·0.385 = 0.46575
    // Sequence 1:
    //   t1: δ = −1 + 0 − 0.3 = −1.3;            A1 = −1.3
    //   t0: δ = 0.2 + 0.3 − 0.1 = 0.4;          A0 = 0.4 + 0.95·(−1.3) = −0.835
    // Returns = A + V.
    Advantages out = new Gae(1, 0.95, false).estimate(BATCH);
    assertArrayEquals(new float[] {0.46575f, 0.385f, 0.3f}, out.advantages()[0], 1e-6f);
    assertArrayEquals(new float[] {-0.835f, -1.3f}, out.advantages()[1], 1e-6f);
    assertArrayEquals(new float[] {0.96575f, 0.985f, 1.0f}, out.returns()[0], 1e-6f);
    assertArrayEquals(new float[] {-0.735f, -1.0f}, out.returns()[1], 1e-6f);
  }

  @Test
  void advantagesAndReturnsMatchAHandComputationAtGammaPointNineLambdaPointEight() {
    // γλ = 0.72. Sequence 0:
    //   t2: δ = 1 − 0.7 = 0.3;                  A2 = 0.3
    //   t1: δ = 0.9·0.7 − 0.6 = 0.03;           A1 = 0.03 + 0.72·0.3 = 0.246
    //   t0: δ = 0.9·0.6 − 0.5 = 0.04;           A0 = 0.04 + 0.72·0.246 = 0.21712
    // Sequence 1:
    //   t1: δ = −1 − 0.3 = −1.3;                A1 = −1.3
    //   t0: δ = 0.2 + 0.9·0.3 − 0.1 = 0.37;     A0 = 0.37 − 0.72·1.3 = −0.566
    Advantages out = new Gae(0.9, 0.8, false).estimate(BATCH);
    assertArrayEquals(new float[] {0.21712f, 0.246f, 0.3f}, out.advantages()[0], 1e-6f);
    assertArrayEquals(new float[] {-0.566f, -1.3f}, out.advantages()[1], 1e-6f);
    assertArrayEquals(new float[] {0.71712f, 0.846f, 1.0f}, out.returns()[0], 1e-6f);
    assertArrayEquals(new float[] {-0.466f, -1.0f}, out.returns()[1], 1e-6f);
  }

  @Test
  void lambdaOneGivesTheDiscountedReturnAsTheCriticTarget() {
    // λ = 1 telescopes: A_t = Σ_k γ^k r_{t+k} − V_t, so returns are the discounted returns.
    double gamma = 0.9;
    Advantages out = new Gae(gamma, 1, false).estimate(BATCH);
    for (int i = 0; i < REWARDS.length; i++) {
      for (int t = 0; t < REWARDS[i].length; t++) {
        double discounted = 0;
        for (int k = REWARDS[i].length - 1; k >= t; k--) {
          discounted = REWARDS[i][k] + gamma * discounted;
        }
        assertArrayEquals(new float[] {(float) discounted}, new float[] {out.returns()[i][t]},
            1e-6f, "sequence " + i + " token " + t);
      }
    }
  }

  @Test
  void whitenedAdvantagesAreTheRawOnesWhitenedAndReturnsStayRaw() {
    Advantages raw = new Gae(1, 0.95, false).estimate(BATCH);
    Advantages whitened = new Gae(1, 0.95, true).estimate(BATCH);
    float[][] expected = Whitening.whiten(raw.advantages());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], whitened.advantages()[i], 1e-6f);
      assertArrayEquals(raw.returns()[i], whitened.returns()[i], 0f);
    }
  }

  @Test
  void rejectsMissingValuesAndParametersOutsideTheUnitInterval() {
    IllegalArgumentException noValues = assertThrows(IllegalArgumentException.class,
        () -> new Gae(1, 0.95, true).estimate(AdvantageBatch.grouped(REWARDS,
            Groups.consecutive(2, 2))));
    assertTrue(noValues.getMessage().contains("values"), noValues.getMessage());
    IllegalArgumentException gamma = assertThrows(IllegalArgumentException.class,
        () -> new Gae(1.5, 0.95, true));
    assertTrue(gamma.getMessage().startsWith("gamma must be in [0, 1]"), gamma.getMessage());
    IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
        () -> new Gae(1, -0.1, true));
    assertTrue(lambda.getMessage().startsWith("lambda must be in [0, 1]"), lambda.getMessage());
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> AdvantageBatch.withValues(REWARDS, new float[][] {{0, 0, 0}, {0}}));
    assertTrue(ragged.getMessage().contains("sequence 1 has 2 rewards but 1 values"),
        ragged.getMessage());
  }
}
