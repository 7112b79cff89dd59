package org.reasonrl.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

  /** Samples whose completions end in "#### a" (or have no number for null). */
  private static List<Sample> samples(String gold, String... answers) {
    List<Sample> out = new ArrayList<>();
    for (String a : answers) {
      out.add(Sample.judge(a == null ? "I give up." : "steps\n#### " + a, gold, null));
    }
    return out;
  }

  private static List<Sample> scored(String gold, String[] answers, double[] scores) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      out.add(Sample.judge("#### " + answers[i], gold, scores[i]));
    }
    return out;
  }

  @Test
  void passAtKMatchesHandWorkedValues() {
    // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10.
    assertEquals(0.7, Metrics.passAtK(5, 2, 2), 1e-12);
    // n=4, c=1, k=2: 1 - C(3,2)/C(4,2) = 1 - 3/6.
    assertEquals(0.5, Metrics.passAtK(4, 1, 2), 1e-12);
    // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252.
    assertEquals(1 - 21.0 / 252, Metrics.passAtK(10, 3, 5), 1e-12);
    // n=k: pass@k is 1 if any sample is correct.
    assertEquals(1.0, Metrics.passAtK(3, 1, 3), 1e-12);
    assertEquals(1.0, Metrics.passAtK(5, 4, 2), 0); // fewer than k wrong samples
    assertEquals(0.0, Metrics.passAtK(8, 0, 4), 0);
    // k=1 is the fraction correct.
    assertEquals(0.001, Metrics.passAtK(1000, 1, 1), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Metrics.passAtK(3, 1, 4));
  }

  @Test
  void passAtKAgreesWithExactBinomialsForLargeN() {
    Random random = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      int n = 96 + random.nextInt(200);
      int c = random.nextInt(n + 1);
      int k = 1 + random.nextInt(96);
      double exact = n - c < k ? 1.0 : 1.0 - new java.math.BigDecimal(binomial(n - c, k))
          .divide(new java.math.BigDecimal(binomial(n, k)), java.math.MathContext.DECIMAL128)
          .doubleValue();
      assertEquals(exact, Metrics.passAtK(n, c, k), 1e-9, "n=" + n + " c=" + c + " k=" + k);
    }
  }

  private static BigInteger binomial(int n, int k) {
    BigInteger r = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return r;
  }

  @Test
  void passAtKScoresUseAllNSamples() {
    ProblemOutcome o = new ProblemOutcome("p", "5", null, samples("5", "5", "1", "2", "5", "3"));
    assertArrayEquals(new double[] {0.7}, Metrics.passAtKScores(List.of(o), 2), 1e-12);
  }

  @Test
  void majorityVoteDropsMissingAnswersAndBreaksTiesByFirstSeen() {
    // Two votes each: the answer seen first wins.
    assertEquals("5", Metrics.majorityAnswer(samples("x", "5", "7", "7", "5")));
    assertEquals("7", Metrics.majorityAnswer(samples("x", "7", "5", "5", "7")));
    ProblemOutcome goldFive = new ProblemOutcome("a", "5", null, samples("5", "5", "7", "7", "5"));
    ProblemOutcome goldSeven = new ProblemOutcome("b", "7", null, samples("7", "5", "7", "7", "5"));
    // K=4: tie 5/7 with 5 first -> correct for gold 5, wrong for gold 7.
    assertArrayEquals(new double[] {1, 0},
        Metrics.majAtKScores(List.of(goldFive, goldSeven), 4), 0);
    // K=3: 7 has two votes.
    assertArrayEquals(new double[] {0, 1},
        Metrics.majAtKScores(List.of(goldFive, goldSeven), 3), 0);
    // One group of K (n < 2K): the disjoint-group and the first-K vote agree.
    assertArrayEquals(Metrics.majAtKFirstScores(List.of(goldFive, goldSeven), 3),
        Metrics.majAtKScores(List.of(goldFive, goldSeven), 3), 0);
  }

  @Test
  void majAtKAveragesTheVotesOfDisjointGroupsWhereFirstKUsesOneGroup() {
    // n=8, K=4. Group 1 votes 3 (wrong), group 2 votes 5 (right).
    ProblemOutcome secondRight = new ProblemOutcome("a", "5", null,
        samples("5", "3", "3", "5", null, "5", "5", "1", "2"));
    // Group 1 right (5,5 vs 2), group 2 right (tie 5/4, 5 first).
    ProblemOutcome bothRight = new ProblemOutcome("b", "5", null,
        samples("5", "5", "2", "5", null, "5", "4", "4", "5"));
    // Group 1 has no answer at all: 0; group 2 wrong.
    ProblemOutcome noneRight = new ProblemOutcome("c", "5", null,
        samples("5", null, null, null, null, "6", "6", "5", "1"));
    List<ProblemOutcome> outcomes = List.of(secondRight, bothRight, noneRight);
    assertArrayEquals(new double[] {0.5, 1, 0}, Metrics.majAtKScores(outcomes, 4), 0);
    assertArrayEquals(new double[] {0, 1, 0}, Metrics.majAtKFirstScores(outcomes, 4), 0);
    // K=3 on n=8: groups 1-3, 4-6; samples 7 and 8 do not vote. a: (3,3,5) wrong, (-,5,5) right.
    assertArrayEquals(new double[] {0.5}, Metrics.majAtKScores(List.of(secondRight), 3), 0);
    // K=8: one group of all eight: a votes 5 (three) over 3 (two).
    assertArrayEquals(new double[] {1}, Metrics.majAtKScores(List.of(secondRight), 8), 0);
    assertThrows(IllegalArgumentException.class,
        () -> Metrics.majAtKScores(List.of(secondRight), 9));
  }

  @Test
  void rerankAtKAveragesThePicksOfDisjointGroups() {
    // n=6, K=2: groups (5 0.1, 6 0.9) -> wrong, (5 0.8, 6 0.3) -> right, (6 0.4, 5 0.4) -> tie,
    // first -> wrong.
    ProblemOutcome o = new ProblemOutcome("a", "5", null, scored("5",
        new String[] {"5", "6", "5", "6", "6", "5"}, new double[] {0.1, 0.9, 0.8, 0.3, 0.4, 0.4}));
    assertArrayEquals(new double[] {1.0 / 3},
        Metrics.rerankAtKScores(List.of(o), 2).orElseThrow(), 1e-12);
    assertArrayEquals(new double[] {0},
        Metrics.rerankAtKFirstScores(List.of(o), 2).orElseThrow(), 0);
    // K=4: one group of the first four: 6 at 0.9 wins.
    assertArrayEquals(new double[] {0}, Metrics.rerankAtKScores(List.of(o), 4).orElseThrow(), 0);
  }

  @Test
  void majorityVoteCountsEqualNumbersTogetherAndIgnoresNoAnswers() {
    // "18" and "18.0" and "$18" are one answer with 3 votes against 2 for 4; the 3 blanks do not vote.
    List<Sample> s = samples("18", "4", null, "18", "4", null, "18.0", null, "18");
    s.set(7, Sample.judge("so it is $18.", "18", null));
    assertEquals("18", Metrics.majorityAnswer(s));
    assertNull(Metrics.majorityAnswer(samples("1", null, null)));
    ProblemOutcome none = new ProblemOutcome("n", "1", null, samples("1", null, null));
    assertArrayEquals(new double[] {0}, Metrics.majAtKScores(List.of(none), 2), 0);
  }

  @Test
  void maj1IsGreedyAccuracy() {
    List<ProblemOutcome> outcomes = List.of(
        new ProblemOutcome("a", "3", Sample.judge("#### 3", "3", null), List.of()),
        new ProblemOutcome("b", "3", Sample.judge("#### 4", "3", null), List.of()),
        new ProblemOutcome("c", "1,000", Sample.judge("it is 1000.", "1,000", null), List.of()));
    assertArrayEquals(new double[] {1, 0, 1}, Metrics.maj1Scores(outcomes), 0);
    List<ProblemOutcome> missing = List.of(new ProblemOutcome("d", "1", null, List.of()));
    assertThrows(IllegalArgumentException.class, () -> Metrics.maj1Scores(missing));
  }

  @Test
  void rerankPicksTheHighestScoreAndIsAbsentWithoutScores() {
    ProblemOutcome wrongTop = new ProblemOutcome("a", "5", null,
        scored("5", new String[] {"5", "6", "5"}, new double[] {0.1, 0.9, 0.5}));
    ProblemOutcome rightTop = new ProblemOutcome("b", "5", null,
        scored("5", new String[] {"6", "5", "6"}, new double[] {0.2, 0.8, 0.8}));
    ProblemOutcome tieFirst = new ProblemOutcome("c", "5", null,
        scored("5", new String[] {"5", "6", "6"}, new double[] {0.7, 0.7, 0.1}));
    assertArrayEquals(new double[] {0, 1, 1},
        Metrics.rerankAtKScores(List.of(wrongTop, rightTop, tieFirst), 3).orElseThrow(), 0);
    // K=1, first-K: only the first sample counts.
    assertArrayEquals(new double[] {1, 0, 1},
        Metrics.rerankAtKFirstScores(List.of(wrongTop, rightTop, tieFirst), 1).orElseThrow(), 0);
    // K=1 over disjoint groups: every sample is a group of one, so the share correct.
    assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, 1.0 / 3},
        Metrics.rerankAtKScores(List.of(wrongTop, rightTop, tieFirst), 1).orElseThrow(), 1e-12);
    ProblemOutcome unscored = new ProblemOutcome("d", "5", null, samples("5", "5", "6"));
    assertTrue(Metrics.rerankAtKScores(List.of(unscored), 2).isEmpty());
    assertThrows(IllegalArgumentException.class,
        () -> Metrics.rerankAtKScores(List.of(wrongTop, unscored), 2));
  }

  @Test
  void diversityCountsDistinctCorrectSolutionsAndTheEditDistanceOfDistinctPairs() {
    List<Sample> s = List.of(
        Sample.judge("Mia has 2 apples.\n#### 2", "2", null),
        Sample.judge("Mia  has 2 apples.\n#### 2 ", "2", null), // same after whitespace folding
        Sample.judge("Mia has 2 pears.\n#### 2", "2", null),
        Sample.judge("Mia has 3 apples.\n#### 3", "2", null), // wrong: ignored
        Sample.judge("Mia has two pears now.\n#### 2", "2", null)); // beyond K=4: ignored
    Diversity d = Diversity.of(s, 4);
    assertEquals(3, d.correct());
    assertEquals(2, d.distinctCorrect());
    // One distinct pair, apples -> pears: 1. The repeated solution adds no pair of distance 0.
    assertEquals(1.0, d.meanPairwiseEditDistance(), 1e-12);
    // K=5: three distinct; (apples, pears) 1, (apples, "two pears now") 3, (pears, ...) 2.
    assertEquals(2.0, Diversity.of(s, 5).meanPairwiseEditDistance(), 1e-12);
    // Two correct samples but one solution: no pair.
    assertNull(Diversity.of(s.subList(0, 2), 2).meanPairwiseEditDistance());
    assertEquals(3, Diversity.editDistance(Arrays.asList("kitten".split("")),
        Arrays.asList("sitting".split(""))));
  }

  @Test
  void evaluateAveragesDiversityOverProblemsWithACorrectSampleOnly() {
    List<ProblemOutcome> outcomes = List.of(
        new ProblemOutcome("a", "2", null, List.of(
            Sample.judge("Mia has 2 apples.\n#### 2", "2", null),
            Sample.judge("Mia has 2 pears.\n#### 2", "2", null))),
        new ProblemOutcome("b", "2", null, List.of(
            Sample.judge("Tom has 1 pen.\n#### 2", "2", null),
            Sample.judge("Tom has 1 pen.\n#### 2", "2", null))),
        new ProblemOutcome("c", "9", null, samples("9", "1", "2")));
    EvalResult r = Metrics.evaluate(outcomes, 2, 1, 50);
    // c has no correct sample and is left out: (2 + 1) / 2, not (2 + 1 + 0) / 3.
    assertEquals(2, r.problemsWithCorrect());
    assertEquals(1.5, r.meanDistinctCorrect(), 1e-12);
    // Only a has two distinct correct solutions.
    assertEquals(1.0, r.meanPairwiseEditDistance(), 1e-12);
    assertNull(r.novelty());
    EvalResult none = Metrics.evaluate(outcomes.subList(2, 3), 2, 1, 50);
    assertEquals(0, none.problemsWithCorrect());
    assertNull(none.meanDistinctCorrect());
    assertNull(none.meanPairwiseEditDistance());
  }

  @Test
  void bootstrapIntervalBracketsTheMeanAndNarrowsWithMoreProblems() {
    double[] small = new double[40];
    double[] large = new double[4000];
    Random random = new Random(1);
    for (int i = 0; i < small.length; i++) {
      small[i] = random.nextDouble() < 0.4 ? 1 : 0;
    }
    for (int i = 0; i < large.length; i++) {
      large[i] = random.nextDouble() < 0.4 ? 1 : 0;
    }
    MetricValue s = MetricValue.of(small, 3, 1000);
    MetricValue l = MetricValue.of(large, 3, 1000);
    assertTrue(s.ciLow() <= s.value() && s.value() <= s.ciHigh(), s.toString());
    assertTrue(l.ciLow() <= l.value() && l.value() <= l.ciHigh(), l.toString());
    assertTrue(l.ciHigh() - l.ciLow() < (s.ciHigh() - s.ciLow()) / 5, s + " vs " + l);
    // The normal approximation's width 2*1.96*sqrt(p(1-p)/n) for n=4000, p~0.4 is ~0.030.
    assertEquals(2 * 1.96 * Math.sqrt(l.value() * (1 - l.value()) / 4000), l.ciHigh() - l.ciLow(),
        0.006);
    assertEquals(s, MetricValue.of(small, 3, 1000)); // seeded
    MetricValue ones = MetricValue.of(new double[] {1, 1, 1}, 3, 100);
    assertEquals(new MetricValue(1, 1, 1, 3), ones);
    assertEquals(2.5, Bootstrap.percentile(new double[] {1, 2, 3, 4}, 0.5), 1e-12);
  }

  @Test
  void evaluateSerialisesWithJacksonAndOmitsAbsentMetrics() throws Exception {
    List<ProblemOutcome> outcomes = List.of(
        new ProblemOutcome("a", "5", Sample.judge("#### 5", "5", null),
            samples("5", "5", "6", "5")),
        new ProblemOutcome("b", "2", Sample.judge("#### 3", "2", null),
            samples("2", "3", "3", "2")));
    EvalResult r = Metrics.evaluate(outcomes, 2, 11, 200);
    assertEquals(0.5, r.maj1().value(), 0);
    // K=2: a votes 5,6 -> tie, 5 first -> right; b votes 3,3 -> wrong.
    assertEquals(0.5, r.majAtK().value(), 0);
    // pass@2 with n=3: a has c=2 -> 1; b has c=1 -> 1 - C(2,2)/C(3,2) = 2/3.
    assertEquals((1 + 2.0 / 3) / 2, r.passAtK().value(), 1e-12);
    assertNull(r.rerankAtK());
    assertNull(r.rerankAtKFirst());
    assertEquals(3, r.samplesPerProblem());
    assertEquals(1, r.groups()); // n=3, K=2: one group, so first-K agrees
    assertEquals(r.majAtK().value(), r.majAtKFirst().value(), 0);
    JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
    assertFalse(json.has("rerankAtK"));
    assertEquals(0.5, json.get("maj1").get("value").asDouble(), 0);
    assertEquals(2, json.get("passAtK").get("n").asInt());
    assertFalse(json.has("novelty"));
    assertEquals(r, new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(r),
        EvalResult.class));
    Sample sample = Sample.judge("so $1,000.", "1000", 0.25);
    String line = new ObjectMapper().writeValueAsString(sample);
    assertTrue(line.contains("\"rule\":\"FLEXIBLE\""), line);
    assertEquals(sample, new ObjectMapper().readValue(line, Sample.class));
  }
}
