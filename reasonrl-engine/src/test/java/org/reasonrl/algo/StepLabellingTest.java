package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;

class StepLabellingTest {

  @TempDir
  Path dir;

  @Test
  void ormValuesAreTheOrmsScoresOfEachPrefixScoredAlone() throws Exception {
    RcrlFixtures.write(dir, 3, true);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      var backbone = Checkpoint.load(dir.resolve(RcrlFixtures.WRITER), manager);
      OutcomeRewardModel orm = new OutcomeRewardModel(backbone, ScalarHead.create(
          backbone.config().hiddenSize(), manager, SeedStream.of(3, "head")));
      // Two solutions of three and two steps after prompts of different lengths.
      List<StepLabelling.Target> targets = List.of(
          new StepLabelling.Target(0, new int[] {1, 7, 8}, new int[] {9, 10, 11, 12, 2},
              new int[] {2, 4, 5}, true),
          new StepLabelling.Target(1, new int[] {1, 7}, new int[] {13, 9, 2},
              new int[] {2, 3}, false));
      StepLabelling.Values values = StepLabelling.byOrm(targets, orm, 2, 0);
      // By causality the score at a step's last token is the final score of the prompt and
      // the solution up to there, scored as a sequence of its own.
      for (int t = 0; t < targets.size(); t++) {
        StepLabelling.Target target = targets.get(t);
        for (int s = 0; s < target.stepEnds().length; s++) {
          int[] prefix = org.reasonrl.rollout.Rollout.sequenceOf(target.prompt(),
              Arrays.copyOf(target.tokens(), target.stepEnds()[s]));
          double alone = orm.scoreFinal(List.of(prefix), 1, 0)[0];
          assertEquals(alone, values.perStep().get(t)[s], 1e-5, "target " + t + " step " + s);
        }
      }
      assertEquals(0, values.continuations());
    }
  }
}
