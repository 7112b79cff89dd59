package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;

/** The ORM rewards on a real (tiny, untrained) ORM, against its per-token scores one by one. */
class OrmRewardsTest {

  private static final String QUESTION = "Mia has 3 bags of apples. Each bag has 4 apples. Mia"
      + " buys 5 more apples. How many apples does Mia have now?";
  private static final Problem PROBLEM = new Problem("q0", QUESTION,
      "Mia has 3 * 4 = <<3*4=12>>12 apples.\nMia has 12 + 5 = <<12+5=17>>17 apples.\n#### 17",
      "17");
  /** Batching pads and masks; scores alone and in a batch agree to float rounding. */
  private static final double BATCH_TOLERANCE = 1e-5;

  @TempDir
  static Path dir;
  static Tokenizer tokenizer;
  static NDManager manager;
  static OutcomeRewardModel orm;
  static List<Rollout> rollouts;
  static List<Problem> problems;

  @BeforeAll
  static void setUp() {
    tokenizer = RewardFixtures.tokenizer(dir);
    manager = NDManager.newBaseManager(EngineRuntime.device());
    orm = RewardFixtures.tinyOrm(manager, tokenizer);
    rollouts = List.of(
        RewardFixtures.rollout(tokenizer, 0, QUESTION, PROBLEM.referenceSolution()),
        RewardFixtures.rollout(tokenizer, 0, QUESTION, "#### 7"),
        RewardFixtures.rollout(tokenizer, 0, QUESTION,
            "Mia has 3 * 4 = <<3*4=12>>12 apples.\nMia has 12 + 6 = <<12+6=18>>18 apples.\n"
                + "Mia has 18 apples.\n#### 18"));
    problems = List.of(PROBLEM, PROBLEM, PROBLEM);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
    tokenizer.close();
  }

  /** The ORM's probabilities at every token of prompt + solution, scored alone. */
  private static double[] scoredAlone(Rollout rollout) {
    return orm.scoreTokens(List.of(rollout.sequence()), 1, tokenizer.padId()).get(0);
  }

  @Test
  void denseOrmRewardsAreScoreChangesAcrossStepsFromZeroAndSumToTheFinalScore() {
    List<TokenRewards> dense = new OrmStepReward(orm, new SolutionSteps(tokenizer), 8,
        tokenizer.padId()).score(rollouts, problems);
    List<TokenRewards> sparse = new OrmFinalReward(orm, 8, tokenizer.padId())
        .score(rollouts, problems);

    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      double[] scores = scoredAlone(rollout);
      int prompt = rollout.promptTokens().length;
      // Steps end at each newline and at the last token (the EOS); potential 0 before the first.
      int[] newlines = RewardFixtures.positions(rollout.tokens(), tokenizer.tokenId("\n"));
      int[] lastTokens = java.util.Arrays.copyOf(newlines, newlines.length + 1);
      lastTokens[newlines.length] = rollout.tokens().length - 1;
      double[] expected = new double[rollout.tokens().length];
      double potential = 0;
      for (int t : lastTokens) {
        expected[t] = scores[prompt + t] - potential;
        potential = scores[prompt + t];
      }
      float[] perToken = dense.get(i).perToken();
      assertEquals(expected.length, perToken.length);
      for (int t = 0; t < expected.length; t++) {
        assertEquals(expected[t], perToken[t], BATCH_TOLERANCE, "rollout " + i + " token " + t);
      }
      double finalScore = scores[scores.length - 1];
      assertEquals(finalScore, dense.get(i).total(), BATCH_TOLERANCE);
      // Same batches as the sparse ORM reward, so the sums agree to float rounding only.
      assertEquals(sparse.get(i).total(), dense.get(i).total(), 1e-6);
    }
    // The untrained ORM's scores move across steps: the dense reward is not the sparse one.
    float firstStep = dense.get(0).perToken()[RewardFixtures.positions(rollouts.get(0).tokens(),
        tokenizer.tokenId("\n"))[0]];
    assertTrue(Math.abs(firstStep - dense.get(0).total()) > 1e-3,
        firstStep + " vs " + dense.get(0).total());
  }

  @Test
  void sparseOrmRewardIsTheFinalScoreOnTheLastTokenAndCarriesTheJudgement() {
    List<TokenRewards> sparse = new OrmFinalReward(orm, 2, tokenizer.padId())
        .score(rollouts, problems);
    for (int i = 0; i < rollouts.size(); i++) {
      double[] scores = scoredAlone(rollouts.get(i));
      float[] perToken = sparse.get(i).perToken();
      float[] expected = new float[perToken.length];
      expected[expected.length - 1] = perToken[perToken.length - 1];
      assertArrayEquals(expected, perToken);
      assertEquals(scores[scores.length - 1], perToken[perToken.length - 1], BATCH_TOLERANCE);
    }
    assertEquals(List.of(true, false, false),
        sparse.stream().map(TokenRewards::correct).toList());
  }
}
