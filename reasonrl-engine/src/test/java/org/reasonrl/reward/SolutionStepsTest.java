package org.reasonrl.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.text.Tokenizer;

class SolutionStepsTest {

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
  void stepsAreLinesAndTheEosAfterTheLastNewlineIsAStepOfItsOwn() {
    int[] tokens = tokenizer.encode(" Mia has 7 apples.\n#### 7\n</s>");
    int[] newlines = RewardFixtures.positions(tokens, tokenizer.tokenId("\n"));
    assertEquals(2, newlines.length);
    assertEquals(tokenizer.eosId(), tokens[tokens.length - 1]);

    SolutionSteps steps = new SolutionSteps(tokenizer);
    int[] ends = steps.ends(tokens);
    assertArrayEquals(new int[] {newlines[0] + 1, newlines[1] + 1, tokens.length}, ends);
    assertEquals(List.of(" Mia has 7 apples.\n", "#### 7\n", ""), steps.texts(tokens, ends));
  }

  @Test
  void aFinalNewlineClosesTheLastStepAndTheStepTextsJoinToTheSolution() {
    String solution = " Mia has 3 * 4 = <<3*4=12>>12 apples.\nMia has 12 + 5 = <<12+5=17>>17"
        + " apples.\n#### 17\n";
    int[] tokens = tokenizer.encode(solution);
    int[] newlines = RewardFixtures.positions(tokens, tokenizer.tokenId("\n"));
    assertEquals(tokens.length - 1, newlines[newlines.length - 1]);

    SolutionSteps steps = new SolutionSteps(tokenizer);
    int[] ends = steps.ends(tokens);
    assertArrayEquals(Arrays.stream(newlines).map(t -> t + 1).toArray(), ends);
    List<String> texts = steps.texts(tokens, ends);
    assertEquals(List.of(solution.split("(?<=\n)")), texts);
    assertEquals(solution, String.join("", texts));
  }

  @Test
  void anEmptyCompletionHasNoSteps() {
    assertArrayEquals(new int[0], new SolutionSteps(tokenizer).ends(new int[0]));
    assertArrayEquals(new int[] {2, 5}, SolutionSteps.ends(new int[] {1, 9, 2, 3, 9}, t -> t == 9));
  }
}
