package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.text.Tokenizer;

class StepMatchRewardTest {

  private static final String QUESTION = "Mia has 3 bags of apples. Each bag has 4 apples. Mia"
      + " buys 5 more apples. Mia gives 2 apples to Tom. How many apples does Mia have now?";
  /** Three reference steps: intermediate values 12, 17, 15. */
  private static final Problem PROBLEM = new Problem("q0", QUESTION,
      "Mia has 3 * 4 = <<3*4=12>>12 apples.\nMia has 12 + 5 = <<12+5=17>>17 apples.\n"
          + "Mia has 17 - 2 = <<17-2=15>>15 apples.\n#### 15", "15");
  private static final float THIRD = 1f / 3;

  @TempDir
  static Path dir;
  static Tokenizer tokenizer;
  static StepMatchReward reward;

  @BeforeAll
  static void setUp() {
    tokenizer = RewardFixtures.tokenizer(dir);
    reward = new StepMatchReward(new SolutionSteps(tokenizer), new CorrectnessReward());
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  private static Rollout rollout(String solution) {
    return RewardFixtures.rollout(tokenizer, 0, QUESTION, solution);
  }

  private static int[] newlines(Rollout rollout) {
    return RewardFixtures.positions(rollout.tokens(), tokenizer.tokenId("\n"));
  }

  @Test
  void twoMatchedStepsEarnAThirdEachAndARepeatedValueEarnsOnce() {
    // Steps: 12 (matches), 12 again (already matched), 17 (matches), 14 (wrong), the answer line.
    Rollout rollout = rollout("Mia has 3 * 4 = <<3*4=12>>12 apples.\nMia has 12 apples.\n"
        + "Mia has 12 + 5 = <<12+5=17>>17 apples.\nMia has 17 - 3 = <<17-3=14>>14 apples.\n"
        + "#### 14");
    TokenRewards rewards = reward.score(List.of(rollout), List.of(PROBLEM)).get(0);

    int[] newline = newlines(rollout);
    assertEquals(4, newline.length);
    float[] expected = new float[rollout.tokens().length];
    expected[newline[0]] = THIRD;
    expected[newline[2]] = THIRD;
    assertArrayEquals(expected, rewards.perToken());
    assertEquals(2.0 / 3, rewards.total(), 1e-6);
    assertFalse(rewards.correct());
  }

  @Test
  void aCorrectSolutionEarnsEveryStepAndTheSparseRewardOnItsLastToken() {
    // The first two steps carry no annotation: their last number is their result.
    Rollout rollout = rollout("Mia has 3 * 4 = 12 apples.\nMia has 12 + 5 = 17 apples.\n"
        + "Mia has 17 - 2 = <<17-2=15>>15 apples.\n#### 15");
    TokenRewards rewards = reward.score(List.of(rollout), List.of(PROBLEM)).get(0);

    int[] newline = newlines(rollout);
    float[] expected = new float[rollout.tokens().length];
    expected[newline[0]] = THIRD;
    expected[newline[1]] = THIRD;
    expected[newline[2]] = THIRD;
    expected[expected.length - 1] = 1;
    assertArrayEquals(expected, rewards.perToken());
    assertEquals(2.0, rewards.total(), 1e-6);
    assertTrue(rewards.correct());
  }

  @Test
  void theAnswerLineIsNotAStepAndAProblemWithoutAReferenceGetsTheSparseRewardAlone() {
    // The answer 15 is also the last reference value, but "#### 15" only earns the sparse 1.
    Rollout skipping = rollout("Mia has 3 * 4 = <<3*4=12>>12 apples.\n#### 15");
    float[] expected = new float[skipping.tokens().length];
    expected[newlines(skipping)[0]] = THIRD;
    expected[expected.length - 1] = 1;

    Problem withoutReference = new Problem("q1", QUESTION, null, "15");
    List<TokenRewards> rewards = reward.score(List.of(skipping, skipping),
        List.of(PROBLEM, withoutReference));
    assertArrayEquals(expected, rewards.get(0).perToken());
    assertArrayEquals(new CorrectnessReward().score(skipping, withoutReference).perToken(),
        rewards.get(1).perToken());
    assertEquals(1.0, rewards.get(1).total());
  }

  @Test
  void referenceValuesAreAMultisetMatchedNumerically() {
    List<BigDecimal> reference = List.of(new BigDecimal("12"), new BigDecimal("12"),
        new BigDecimal("5"));
    assertArrayEquals(new boolean[] {true, true, false, false, true},
        StepMatchReward.matchingSteps(List.of("a <<6*2=12>>12\n", "b 12.0\n", "c 12\n",
            "no number\n", "d 5"), reference));
    assertArrayEquals(new boolean[] {false, true},
        StepMatchReward.matchingSteps(List.of("#### 5", "5"), reference));
  }
}
