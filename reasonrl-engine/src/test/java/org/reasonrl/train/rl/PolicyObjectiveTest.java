package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.train.Objective;
import org.reasonrl.train.TokenizedExample;

/**
 * {@link PolicyScoring} against a per-sequence computation without padding, and
 * {@link PolicyObjective} at the first update (ratio 1) against hand-worked values.
 */
class PolicyObjectiveTest {

  private static final double T = 0.7;
  private static NDManager manager;
  private static CausalLm model;
  private static final List<TokenizedExample> ROWS = List.of(
      new TokenizedExample(new int[] {1, 5, 6}, new int[] {7, 8}),
      new TokenizedExample(new int[] {1, 9}, new int[] {10, 11, 12}));

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
    model = CausalLm.create(LlamaConfig.of(16, 32, 2, 2, 1, 20, 32, false))
        .initializeRandom(manager, SeedStream.of(5, "init"));
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** log softmax(z/T) of each response token, one unpadded sequence at a time. */
  private static float[] direct(TokenizedExample row) {
    try (NDManager scope = manager.newSubManager()) {
      int[] sequence = new int[row.length()];
      System.arraycopy(row.prompt(), 0, sequence, 0, row.prompt().length);
      System.arraycopy(row.completion(), 0, sequence, row.prompt().length,
          row.completion().length);
      int[][] ids = {java.util.Arrays.copyOf(sequence, sequence.length - 1)};
      int[][] mask = new int[1][ids[0].length];
      java.util.Arrays.fill(mask[0], 1);
      NDArray logits = model.forward(new ParameterStore(scope, false), scope.create(ids),
          scope.create(mask), null, false).logits();
      float[] all = logits.div(T).logSoftmax(-1).toFloatArray();
      int vocab = model.config().vocabSize();
      float[] out = new float[row.completion().length];
      for (int t = 0; t < out.length; t++) {
        int position = row.prompt().length - 1 + t;
        out[t] = all[position * vocab + row.completion()[t]];
      }
      return out;
    }
  }

  @Test
  void scoringMatchesAnUnpaddedForwardAndGivesTheReferenceIdenticalLogProbs() {
    for (int micro : new int[] {1, 2}) {
      PolicyScoring.Scored scored = PolicyScoring.score(ActorCritic.policyOnly(model),
          ReferencePolicy.copy(model),
          ROWS, T, micro, 0, manager);
      for (int b = 0; b < ROWS.size(); b++) {
        assertArrayEquals(direct(ROWS.get(b)), scored.logprobs()[b], 1e-5f, "row " + b);
        // The same weights on the same batches: bit for bit, so the KL is exactly 0.
        assertArrayEquals(scored.logprobs()[b], scored.referenceLogprobs()[b]);
        assertEquals(0, scored.values()[b].length);
      }
    }
  }

  @Test
  void theFirstUpdateHasRatioOneSoTheLossIsMinusTheAggregatedAdvantage() {
    PolicyScoring.Scored scored = PolicyScoring.score(ActorCritic.policyOnly(model),
          ReferencePolicy.copy(model),
        ROWS, T, 2, 0, manager);
    float[][] advantages = {{2, 2}, {-1, -1, -1}};
    List<PolicySample> samples = List.of(sample(0, scored, advantages[0]),
        sample(1, scored, advantages[1]));
    // token-mean: −(2·2 − 1·3) / 5 = −0.2; seq-mean-token-mean: −(2 − 1) / 2 = −0.5.
    assertLoss(samples, new LossAggregation.TokenMean(), -0.2);
    assertLoss(samples, new LossAggregation.SequenceMeanTokenMean(), -0.5);
  }

  private static void assertLoss(List<PolicySample> samples, LossAggregation aggregation,
      double expected) {
    PolicyObjective objective = new PolicyObjective(ActorCritic.policyOnly(model), T,
        new ClippedPolicyLoss(ClipRange.symmetric(0.2), aggregation), null, 0, null, 0, 0, 0);
    try (NDManager scope = manager.newSubManager()) {
      Objective.Loss loss = objective.compute(samples, new ParameterStore(scope, false), scope);
      assertEquals(expected, loss.sum().getFloat() / loss.count(), 1e-5, aggregation.name());
      var stats = loss.statistics().values();
      assertEquals(0, stats.get("policy/clipFraction"));
      assertEquals(0, stats.get("policy/approxKl"), 1e-6);
      assertEquals(5, loss.statistics().entries().get("entropy").weight());
    }
  }

  private static PolicySample sample(int b, PolicyScoring.Scored scored, float[] advantages) {
    TokenizedExample row = ROWS.get(b);
    return new PolicySample(b, b, row.prompt(), row.completion(), scored.logprobs()[b],
        scored.referenceLogprobs()[b], new float[0], advantages, advantages, 0, false);
  }

  @Test
  void placedAndGatheredAreInverse() {
    float[][] rows = {{1, 2}, {3, 4, 5}};
    int[] offsets = {2, 1};
    try (NDManager scope = manager.newSubManager()) {
      NDArray placed = Ragged.placed(scope, rows, offsets, 5);
      assertArrayEquals(new float[] {0, 0, 1, 2, 0, 0, 3, 4, 5, 0}, placed.toFloatArray());
      float[][] back = Ragged.gathered(placed, offsets, new int[] {2, 3});
      assertArrayEquals(rows[0], back[0]);
      assertArrayEquals(rows[1], back[1]);
    }
  }
}
