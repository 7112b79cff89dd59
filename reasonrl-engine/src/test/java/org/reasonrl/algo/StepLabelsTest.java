package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.reward.SolutionSteps;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.TokenizedExample;

/** Steps, thresholds and the conditioned training sequence, worked by hand. */
class StepLabelsTest {

  @TempDir
  static Path dir;
  static Tokenizer tokenizer;
  static SolutionSteps steps;

  @BeforeAll
  static void load() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    tokenizer = Tokenizer.load(file);
    steps = new SolutionSteps(tokenizer);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static int[] withEos(String text) {
    int[] ids = tokenizer.encode(text);
    int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = tokenizer.eosId();
    return out;
  }

  @Test
  void stepsAreLinesWithTheEosJoinedToTheLastOne() {
    // The first line's tokens end with its newline; the answer line and EOS form the second.
    int[] first = tokenizer.encode(" 4 + 2 = 6\n");
    int[] last = tokenizer.encode("#### 6");
    int[] tokens = withEos(" 4 + 2 = 6\n#### 6");
    assertArrayEquals(new int[] {first.length, tokens.length},
        StepLabels.stepEnds(tokens, tokenizer.eosId(), steps));
    assertArrayEquals(new int[] {tokens.length}, new int[] {first.length + last.length + 1});
    // An answer line ended by a newline and then EOS: the EOS is not a step of its own.
    int[] ended = withEos(" 4 + 2 = 6\n#### 6\n");
    assertArrayEquals(new int[] {first.length, ended.length},
        StepLabels.stepEnds(ended, tokenizer.eosId(), steps));
    // Without EOS (stopped at its answer line), the same two steps.
    int[] stopped = tokenizer.encode(" 4 + 2 = 6\n#### 6\n");
    assertArrayEquals(new int[] {first.length, stopped.length},
        StepLabels.stepEnds(stopped, tokenizer.eosId(), steps));
  }

  @Test
  void aStepIsGoodWhenItsValueReachesTheThreshold() {
    double[] values = {0.0, 0.25, 0.5, 0.75, 1.0};
    assertArrayEquals(new boolean[] {false, false, true, true, true},
        StepLabels.threshold(values, 0.5));
    assertArrayEquals(new boolean[] {true, true, true, true, true},
        StepLabels.threshold(values, 0.0));
    assertArrayEquals(new boolean[] {false, false, false, false, true},
        StepLabels.threshold(values, 1.0));
    assertThrows(IllegalArgumentException.class, () -> StepLabels.threshold(values, 1.5));
    assertThrows(IllegalArgumentException.class, () -> StepLabels.threshold(values, Double.NaN));
  }

  @Test
  void theLabelTokenGoesBeforeEachStepAndCarriesNoLoss() {
    // tokens [a b \n c d EOS] with ends [3, 6], labels [BAD, GOOD]:
    // completion [BAD a b \n GOOD c d EOS], unscored at 0 and 4.
    int good = 4;
    int bad = 5;
    int[] tokens = {10, 11, 12, 13, 14, 2};
    TokenizedExample example = StepLabels.conditioned(new int[] {1, 9}, tokens,
        new int[] {3, 6}, new boolean[] {false, true}, good, bad);
    assertArrayEquals(new int[] {1, 9}, example.prompt());
    assertArrayEquals(new int[] {bad, 10, 11, 12, good, 13, 14, 2}, example.completion());
    assertArrayEquals(new int[] {0, 4}, example.unscored());
    assertThrows(IllegalArgumentException.class, () -> StepLabels.conditioned(new int[] {1},
        tokens, new int[] {3, 6}, new boolean[] {true}, good, bad));
    assertThrows(IllegalArgumentException.class, () -> StepLabels.conditioned(new int[] {1},
        tokens, new int[] {3, 5}, new boolean[] {true, true}, good, bad));
  }
}
