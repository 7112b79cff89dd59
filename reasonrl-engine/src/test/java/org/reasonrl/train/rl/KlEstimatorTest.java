package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.runtime.EngineRuntime;

/**
 * With a token a drawn from p, E_p[k(a)] summed over the support with weights p(a) is the
 * estimator's expectation, compared with KL(p‖q) = Σ p log(p/q) computed directly.
 */
class KlEstimatorTest {

  private static final double[] P = {0.1, 0.2, 0.3, 0.4};
  private static final double[] FAR = {0.25, 0.25, 0.25, 0.25};
  private static final double[] CLOSE = {0.11, 0.19, 0.31, 0.39};

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  @Test
  void k1AndK3AreUnbiasedAndK2IsCloseOnlyForCloseDistributions() {
    for (double[] q : new double[][] {FAR, CLOSE}) {
      double kl = directKl(P, q);
      assertEquals(kl, expectation(KlEstimator.K1, q), 1e-12);
      assertEquals(kl, expectation(KlEstimator.K3, q), 1e-12);
    }
    double closeKl = directKl(P, CLOSE);
    assertEquals(closeKl, expectation(KlEstimator.K2, CLOSE), 0.03 * closeKl);
    double farKl = directKl(P, FAR);
    double farError = Math.abs(expectation(KlEstimator.K2, FAR) - farKl);
    assertTrue(farError > 0.05 * farKl, "k2 is biased away from p: error " + farError);
  }

  @Test
  void theNdArrayFormsAgreeWithTheDirectKl() {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray logp = manager.create(logs(P));
      NDArray logq = manager.create(logs(FAR));
      NDArray weights = manager.create(toFloats(P));
      double kl = directKl(P, FAR);
      for (KlEstimator estimator : new KlEstimator[] {KlEstimator.K1, KlEstimator.K3}) {
        double expectation = estimator.of(logp, logq).mul(weights).sum().getFloat();
        assertEquals(kl, expectation, 1e-6, estimator.toString());
      }
      float[] k2 = KlEstimator.K2.of(logp, logq).toFloatArray();
      for (int a = 0; a < P.length; a++) {
        double logRatio = Math.log(P[a] / FAR[a]);
        assertEquals(0.5 * logRatio * logRatio, k2[a], 1e-6);
      }
    }
  }

  @Test
  void everyEstimatorIsExactlyZeroWhenThePolicyIsTheReference() {
    float[] logprobs = {-0.1f, -2.5f, -7.25f, -0.003f, -13f};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray policy = manager.create(logprobs);
      NDArray reference = manager.create(logprobs.clone());
      for (KlEstimator estimator : KlEstimator.values()) {
        assertArrayEquals(new float[logprobs.length], estimator.of(logprobs, logprobs.clone()),
            0f, estimator.toString());
        assertArrayEquals(new float[logprobs.length],
            estimator.of(policy, reference).toFloatArray(), 0f, estimator.toString());
      }
    }
  }

  @Test
  void gradientsInThePolicyLogProbsMatchTheDerivatives() {
    // d/dlogp of k1 = 1; of k2 = logp − logq; of k3 = exp(logq − logp) − 1 − (logq − logp):
    // 1 − exp(logq − logp).
    float[] logp = {-0.5f, -1.5f, -0.1f};
    float[] logq = {-1f, -1f, -0.1f};
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      NDArray reference = manager.create(logq);
      Shape shape = new Shape(3);
      float[] k1 = gradient(manager, logp, shape, KlEstimator.K1, reference);
      float[] k2 = gradient(manager, logp, shape, KlEstimator.K2, reference);
      float[] k3 = gradient(manager, logp, shape, KlEstimator.K3, reference);
      for (int t = 0; t < logp.length; t++) {
        assertEquals(1, k1[t], 1e-6);
        assertEquals(logp[t] - logq[t], k2[t], 1e-6);
        assertEquals(1 - Math.exp(logq[t] - logp[t]), k3[t], 1e-6);
      }
    }
  }

  @Test
  void k3ClampsAReferenceThatRulesTheTokenOut() {
    // log(q/p) = +200 would overflow exp (in float32 already past 88): clamped to ±20, as veRL.
    double clamped = KlEstimator.K3.of(-200, 0);
    assertEquals(Math.exp(20) - 1 - 20, clamped, 1e-6 * clamped);
    assertEquals(Math.expm1(-20) + 20, KlEstimator.K3.of(0, -200), 1e-9);
  }

  @Test
  void controllersFollowZieglersUpdate() {
    KlController fixed = KlController.fixed(0.05);
    assertEquals(0.05, fixed.update(100, 512).coefficient(), 0);
    KlController adaptive = KlController.adaptive(0.05, 6, 10_000);
    // KL 9: error 9/6 − 1 = 0.5 clipped to 0.2: β·(1 + 0.2·256/10000) = 0.05·1.00512.
    assertEquals(0.050256, adaptive.update(9, 256).coefficient(), 1e-12);
    // KL 5.4: error −0.1: β·(1 − 0.1·100/10000) = 0.05·0.999.
    assertEquals(0.04995, adaptive.update(5.4, 100).coefficient(), 1e-12);
    assertEquals(0.05, adaptive.update(6, 100).coefficient(), 1e-15);
    // Immutable: the original is unchanged; updates chain.
    assertEquals(0.05, adaptive.coefficient(), 0);
    assertEquals(0.05 * 1.00512 * 1.00512,
        adaptive.update(9, 256).update(100, 256).coefficient(), 1e-12);
  }

  @Test
  void meanSequenceKlSumsOverTokensAndAveragesOverSequences() {
    float[][] logp = {{-1f, -2f}, {-0.5f}};
    float[][] ref = {{-1.5f, -2.5f}, {-0.5f}};
    // k1 per sequence: 0.5 + 0.5 = 1 and 0: mean 0.5.
    assertEquals(0.5, TokenRewards.meanSequenceKl(logp, ref, KlEstimator.K1), 1e-7);
  }

  private static float[] gradient(NDManager manager, float[] logp, Shape shape,
      KlEstimator estimator, NDArray reference) {
    return Autograd.of(manager, logp, shape, x -> estimator.of(x, reference).sum()).gradient();
  }

  private static double directKl(double[] p, double[] q) {
    double kl = 0;
    for (int a = 0; a < p.length; a++) {
      kl += p[a] * Math.log(p[a] / q[a]);
    }
    return kl;
  }

  private static double expectation(KlEstimator estimator, double[] q) {
    double sum = 0;
    for (int a = 0; a < P.length; a++) {
      sum += P[a] * estimator.of(Math.log(P[a]), Math.log(q[a]));
    }
    return sum;
  }

  private static float[] logs(double[] p) {
    float[] out = new float[p.length];
    for (int a = 0; a < p.length; a++) {
      out[a] = (float) Math.log(p[a]);
    }
    return out;
  }

  private static float[] toFloats(double[] p) {
    float[] out = new float[p.length];
    for (int a = 0; a < p.length; a++) {
      out[a] = (float) p[a];
    }
    return out;
  }
}
