package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.ExtractedAnswer;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.text.Tokenizer;

class CorrectnessRewardTest {

  private static final String QUESTION = "Mia has 3 apples. Mia buys 4 more apples. How many"
      + " apples does Mia have now?";
  private static final Problem PROBLEM = new Problem("q0", QUESTION,
      "Mia has 3 + 4 = <<3+4=7>>7 apples.\n#### 7", "7");

  @TempDir
  static Path dir;
  static Tokenizer tokenizer;

  @BeforeAll
  static void setUp() {
    tokenizer = RewardFixtures.tokenizer(dir);
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  private static Rollout rollout(String solution) {
    return RewardFixtures.rollout(tokenizer, 0, QUESTION, solution);
  }

  /** {@code reward} on the last token (the EOS), 0 everywhere else. */
  private static float[] onLastToken(Rollout rollout, float reward) {
    float[] expected = new float[rollout.tokens().length];
    expected[expected.length - 1] = reward;
    return expected;
  }

  @Test
  void aCorrectAnswerEarnsOneOnTheLastTokenAWrongOneNothing() {
    Rollout right = rollout("Mia has 3 + 4 = <<3+4=7>>7 apples.\n#### 7");
    Rollout wrong = rollout("Mia has 3 + 5 = <<3+5=8>>8 apples.\n#### 8");
    List<TokenRewards> rewards = new CorrectnessReward().score(List.of(right, wrong),
        List.of(PROBLEM, PROBLEM));

    assertEquals(tokenizer.eosId(), right.tokens()[right.tokens().length - 1]);
    assertArrayEquals(onLastToken(right, 1), rewards.get(0).perToken());
    assertEquals(1.0, rewards.get(0).total());
    assertTrue(rewards.get(0).correct());
    assertTrue(rewards.get(0).judgement().strict());
    assertEquals("7", rewards.get(0).judgement().answer().normalized());

    assertArrayEquals(new float[wrong.tokens().length], rewards.get(1).perToken());
    assertFalse(rewards.get(1).correct());
    assertEquals("8", rewards.get(1).judgement().answer().normalized());
  }

  @Test
  void anAnswerWithoutTheStrictLineIsJudgedByItsLastNumberAndSaysSo() {
    TokenRewards rewards = new CorrectnessReward(0.5).score(rollout("Mia has 3 + 4 = 7 apples."),
        PROBLEM);
    assertTrue(rewards.correct());
    assertFalse(rewards.judgement().strict());
    assertFalse(rewards.judgement().malformed());
    assertEquals(ExtractedAnswer.Rule.FLEXIBLE, rewards.judgement().answer().rule());
    assertEquals(1.0, rewards.total());
  }

  @Test
  void aMalformedAnswerCostsThePenaltyWhichIsZeroByDefault() {
    Rollout noNumber = rollout("Mia has apples.");
    TokenRewards penalised = new CorrectnessReward(0.5).score(noNumber, PROBLEM);
    assertTrue(penalised.judgement().malformed());
    assertFalse(penalised.correct());
    assertArrayEquals(onLastToken(noNumber, -0.5f), penalised.perToken());

    TokenRewards byDefault = new CorrectnessReward().score(noNumber, PROBLEM);
    assertEquals(0.0, byDefault.total());
    assertTrue(byDefault.judgement().malformed());

    assertThrows(IllegalArgumentException.class, () -> new CorrectnessReward(-1));
    assertThrows(IllegalArgumentException.class, () -> new CorrectnessReward(Double.NaN));
  }

  @Test
  void rolloutsArePairedWithTheirProblemsDirectlyOrByPromptIndex() {
    Problem other = new Problem("q1", "Tom has 9 pencils. How many pencils does Tom have?",
        null, "9");
    Rollout tom = RewardFixtures.rollout(tokenizer, 1, other.question(),
        "Tom has 9 pencils.\n#### 9");
    Rollout mia = rollout("#### 7");
    CorrectnessReward reward = new CorrectnessReward();

    List<TokenRewards> byPrompt = reward.scoreByPrompt(List.of(tom, mia, tom),
        List.of(PROBLEM, other));
    assertEquals(List.of(true, true, true), byPrompt.stream().map(TokenRewards::correct).toList());
    // Paired the other way round, each is judged against the wrong gold answer.
    assertEquals(List.of(false, false), reward.score(List.of(tom, mia), List.of(PROBLEM, other))
        .stream().map(TokenRewards::correct).toList());
    IllegalArgumentException unpaired = assertThrows(IllegalArgumentException.class,
        () -> reward.score(List.of(tom, mia), List.of(other)));
    assertTrue(unpaired.getMessage().contains("2 rollouts but 1 problems"),
        unpaired.getMessage());
  }
}
