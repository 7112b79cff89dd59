package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolicyGradientMethodsTest {

  private static final MethodOptions OPTIONS = new MethodOptions(0.99, 0.9, 1e-4, 256);

  @Test
  void eachNameBuildsItsEstimatorAndAggregation() {
    PolicyGradientMethod gae = PolicyGradientMethods.named("gae", OPTIONS);
    assertEquals(new Gae(0.99, 0.9, true), gae.estimator());
    assertEquals(new LossAggregation.TokenMean(), gae.aggregation());
    assertTrue(gae.usesCritic());
    assertFalse(gae.usesGroups());

    PolicyGradientMethod grpo = PolicyGradientMethods.named("GRPO", OPTIONS);
    assertEquals(GroupNormalized.grpo(1e-4), grpo.estimator());
    assertEquals(new LossAggregation.SequenceMeanTokenMean(), grpo.aggregation());
    assertTrue(grpo.usesGroups());
    assertFalse(grpo.usesCritic());

    PolicyGradientMethod drGrpo = PolicyGradientMethods.named("dr-grpo", OPTIONS);
    assertEquals(GroupNormalized.drGrpo(), drGrpo.estimator());
    assertEquals(new LossAggregation.SequenceSumNormalized(256), drGrpo.aggregation());

    assertEquals(new Rloo(), PolicyGradientMethods.named("rloo", OPTIONS).estimator());
    PolicyGradientMethod reinforce = PolicyGradientMethods.named("reinforce++", OPTIONS);
    assertEquals(new ReinforcePlusPlus(0.99), reinforce.estimator());
    assertFalse(reinforce.usesGroups());
    assertEquals(PolicyGradientMethods.NAMES.size(), 5);
    for (String name : PolicyGradientMethods.NAMES) {
      assertEquals(name, PolicyGradientMethods.named(name, OPTIONS).name());
    }
  }

  @Test
  void unknownNamesFailNamingTheParameterAndTheChoices() {
    IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
        () -> PolicyGradientMethods.named("ppo2", OPTIONS));
    assertEquals("unknown advantage estimator 'ppo2' (parameter advantage); choose one of gae,"
        + " grpo, dr-grpo, rloo, reinforce++", method.getMessage());
    IllegalArgumentException aggregation = assertThrows(IllegalArgumentException.class,
        () -> LossAggregation.named("mean", 10));
    assertTrue(aggregation.getMessage().contains("(parameter lossAggregation)"),
        aggregation.getMessage());
    assertEquals(new LossAggregation.SequenceSumNormalized(10),
        LossAggregation.named("seq-sum-norm", 10));
    IllegalArgumentException kl = assertThrows(IllegalArgumentException.class,
        () -> KlEstimator.named("k4"));
    assertTrue(kl.getMessage().contains("(parameter klEstimator); choose one of k1, k2, k3"),
        kl.getMessage());
    assertEquals(KlEstimator.K3, KlEstimator.named("K3"));
  }

  @Test
  void badNumbersFailNamingTheParameter() {
    IllegalArgumentException gamma = assertThrows(IllegalArgumentException.class,
        () -> new MethodOptions(1.01, 0.95, 1e-6, 10));
    assertTrue(gamma.getMessage().startsWith("gamma"), gamma.getMessage());
    IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
        () -> new MethodOptions(1, Double.NaN, 1e-6, 10));
    assertTrue(lambda.getMessage().startsWith("lambda"), lambda.getMessage());
    IllegalArgumentException clip = assertThrows(IllegalArgumentException.class,
        () -> ClipRange.symmetric(0));
    assertTrue(clip.getMessage().startsWith("clip (low) must be in (0, 1)"), clip.getMessage());
    IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
        () -> ClipRange.asymmetric(0.2, -1));
    assertTrue(high.getMessage().startsWith("clip (high)"), high.getMessage());
    IllegalArgumentException valueClip = assertThrows(IllegalArgumentException.class,
        () -> new ClippedValueLoss(0, new LossAggregation.TokenMean()));
    assertTrue(valueClip.getMessage().startsWith("value clip must be > 0"),
        valueClip.getMessage());
  }
}
