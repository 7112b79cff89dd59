package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.reasonrl.algo.OrmTraining;

class OrmMetricsTest {

  private static final double[] SCORES = {0.1, 0.4, 0.35, 0.8};
  private static final boolean[] LABELS = {false, false, true, true};

  @Test
  void aucCountsCorrectOverIncorrectPairs() {
    // Pairs (correct, incorrect): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes → 3/4.
    assertEquals(0.75, OrmMetrics.auc(SCORES, LABELS), 1e-12);
    // Tied pair counts half: correct {0.5, 0.9} vs incorrect {0.5, 0.2} → (0.5+1+1+1)/4.
    assertEquals(0.875, OrmMetrics.auc(new double[] {0.5, 0.5, 0.2, 0.9},
        new boolean[] {true, false, false, true}), 1e-12);
    // All tied: no ranking at all.
    assertEquals(0.5, OrmMetrics.auc(new double[] {0.3, 0.3, 0.3},
        new boolean[] {true, false, true}), 1e-12);
    assertEquals(0.0, OrmMetrics.auc(new double[] {0.9, 0.1}, new boolean[] {false, true}),
        1e-12);
    assertNull(OrmMetrics.auc(new double[] {0.2, 0.7}, new boolean[] {true, true}));
  }

  @Test
  void withinQuestionAucComparesOnlySolutionsOfTheSameQuestion() {
    // An ORM that only knows which question is easy: question a (scores 0.9) has one correct and
    // one incorrect solution, b (0.2) likewise, c (0.95) only correct ones. Pooled, correct ones
    // outrank incorrect ones in 6 of the 8 pairs (ties half) — within a question it is a coin.
    double[] scores = {0.9, 0.9, 0.2, 0.2, 0.95, 0.95};
    boolean[] labels = {true, false, true, false, true, true};
    String[] questions = {"a", "a", "b", "b", "c", "c"};
    assertEquals(0.75, OrmMetrics.auc(scores, labels), 1e-12);
    OrmMetrics.WithinGroups within = OrmMetrics.withinGroupAuc(scores, labels, questions);
    assertEquals(0.5, within.auc(), 1e-12);
    assertEquals(2, within.mixedGroups());
    // Ranking within a: correct 0.7 > incorrect 0.6; within b: correct 0.1 < incorrect 0.3.
    assertEquals(0.5, OrmMetrics.withinGroupAuc(new double[] {0.7, 0.6, 0.1, 0.3},
        new boolean[] {true, false, true, false}, new String[] {"a", "a", "b", "b"}).auc(), 1e-12);
    assertEquals(1.0, OrmMetrics.withinGroupAuc(new double[] {0.7, 0.6, 0.4, 0.3},
        new boolean[] {true, false, true, false}, new String[] {"a", "a", "b", "b"}).auc(), 1e-12);
    assertNull(OrmMetrics.withinGroupAuc(new double[] {0.7, 0.6}, new boolean[] {true, false},
        new String[] {"a", "b"}).auc());
  }

  @Test
  void brierAccuracyBalanceAndFinalBceByHand() {
    // (0.1)² + (0.4)² + (0.65)² + (0.2)² = 0.01 + 0.16 + 0.4225 + 0.04 = 0.6325.
    assertEquals(0.6325 / 4, OrmMetrics.brier(SCORES, LABELS), 1e-12);
    OrmMetrics m = OrmMetrics.of(SCORES, LABELS, new String[] {"a", "a", "b", "b"}, 3.0, 4);
    assertEquals(4, m.samples());
    assertEquals(0.5, m.positiveShare(), 1e-12);
    assertEquals(0.75, m.accuracy(), 1e-12); // 0.35 is the one on the wrong side of 0.5
    double bce = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    assertEquals(bce, m.finalTokenBce(), 1e-12);
    assertEquals(0.75, m.tokenBce(), 1e-12);
    assertEquals(-Math.log(1e-7), OrmMetrics.bce(0.0, true), 1e-9); // clamped, finite
    assertThrows(IllegalArgumentException.class,
        () -> OrmMetrics.brier(new double[] {0.1}, new boolean[] {true, false}));
  }

  @Test
  void heldOutSplitIsByQuestionSeededAndSized() {
    boolean[] a = OrmTraining.heldOutQuestions(20, 0.25, 7);
    assertArrayEquals(a, OrmTraining.heldOutQuestions(20, 0.25, 7));
    int held = 0;
    for (boolean h : a) {
      held += h ? 1 : 0;
    }
    assertEquals(5, held);
    boolean different = false;
    for (long seed = 8; seed < 12 && !different; seed++) {
      different = !java.util.Arrays.equals(a, OrmTraining.heldOutQuestions(20, 0.25, seed));
    }
    assertEquals(true, different, "the split ignores the seed");
    assertEquals(1, count(OrmTraining.heldOutQuestions(3, 0.01, 1))); // at least one
    assertEquals(0, count(OrmTraining.heldOutQuestions(3, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> OrmTraining.heldOutQuestions(1, 0.5, 1));
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }
}
