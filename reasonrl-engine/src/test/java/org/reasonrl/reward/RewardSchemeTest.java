package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.Problem;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;

class RewardSchemeTest {

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

  @Test
  void eachSchemeNameGivesItsRewardFunction() {
    assertEquals(List.of("sparse", "dense", "orm-sparse", "orm-dense"), RewardScheme.names());
    assertInstanceOf(CorrectnessReward.class,
        RewardScheme.create("sparse", tokenizer, null, 0, 8));
    assertInstanceOf(StepMatchReward.class, RewardScheme.create("dense", tokenizer, null, 0, 8));
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      OutcomeRewardModel orm = RewardFixtures.tinyOrm(manager, tokenizer);
      assertInstanceOf(OrmFinalReward.class,
          RewardScheme.create("orm-sparse", tokenizer, orm, 0, 8));
      assertInstanceOf(OrmStepReward.class,
          RewardScheme.create("orm-dense", tokenizer, orm, 0, 8));
    }
  }

  @Test
  void theMalformedPenaltyReachesTheCorrectnessReward() {
    Problem problem = new Problem("q0", "Mia has 7 apples. How many apples does Mia have?",
        null, "7");
    var rollout = RewardFixtures.rollout(tokenizer, 0, problem.question(), "Mia has apples.");
    for (String scheme : List.of("sparse", "dense")) {
      TokenRewards rewards = RewardScheme.create(scheme, tokenizer, null, 0.25, 8)
          .score(List.of(rollout), List.of(problem)).get(0);
      assertEquals(-0.25, rewards.total(), 1e-7, scheme);
    }
  }

  @Test
  void anUnknownNameFailsNamingTheParameterAndTheKnownNames() {
    for (String name : new String[] {"dense-orm", "Sparse", "", null}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RewardScheme.parse(name));
      assertTrue(e.getMessage().startsWith("reward must be one of sparse, dense, orm-sparse,"
          + " orm-dense but was '" + name + "'"), e.getMessage());
    }
  }

  @Test
  void anOrmSchemeWithoutAnOrmFailsBeforeAnyWork() {
    for (String name : List.of("orm-sparse", "orm-dense")) {
      RewardScheme scheme = RewardScheme.parse(name);
      assertTrue(scheme.needsOrm());
      IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
          () -> scheme.checkOrm(false));
      assertTrue(early.getMessage().contains("reward '" + name + "'")
          && early.getMessage().contains("no ORM checkpoint"), early.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> RewardScheme.create(name, tokenizer, null, 0, 8));
    }
    assertEquals(RewardScheme.SPARSE, RewardScheme.SPARSE.checkOrm(false));
    assertEquals(RewardScheme.DENSE, RewardScheme.DENSE.checkOrm(false));
  }
}
