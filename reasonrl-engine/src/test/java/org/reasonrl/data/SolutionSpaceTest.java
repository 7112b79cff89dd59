package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reasonrl.data.Story.Operation;
import org.reasonrl.data.Story.Step;

class SolutionSpaceTest {

  /** "Mia has 20 apples. Then Mia finds 5 more apples. Mia gives 8 apples to Liam." */
  private static final Story ADD_THEN_REMOVE = new Story(
      "Mia has 20 apples. Then Mia finds 5 more apples. Mia gives 8 apples to Liam."
          + " How many apples does Mia have now?",
      false, "apples",
      List.of(new Step(Operation.ADD, 20, 5, 25, "Mia", "Mia", "has", false),
          new Step(Operation.SUBTRACT, 25, 8, 17, "Mia", "Mia", "has", false)),
      List.of("Mia has 20 + 5 = <<20+5=25>>25 apples.", "Mia has 25 - 8 = <<25-8=17>>17 apples."));

  @Test
  void aHandWorkedAdditionThenRemovalHasExactlyTheseFourPathsAndThirtyFiveTexts() {
    SolutionSpace space = SolutionSpace.of(ADD_THEN_REMOVE);
    assertEquals(List.of(
            List.of("20+5=25", "25-8=17"), // version 1's path
            List.of("5+20=25", "25-8=17"), // operands of the addition swapped
            List.of("20+5-8=17"), // both steps on one line
            List.of("8-5=3", "20-3=17")), // the net change first: 3 fewer
        space.paths().stream().map(SolutionSpace.SolutionPath::annotations).toList());
    List<SolutionSpace.Line> net = space.paths().get(3).lines();
    assertEquals(List.of("Mia loses 8 - 5 = <<8-5=3>>3 apples.", "Mia loses <<8-5=3>>3 apples."),
        net.get(0).wordings());
    assertEquals(List.of("Mia has 20 - 3 = <<20-3=17>>17 apples.",
        "Mia now has 20 - 3 = <<20-3=17>>17 apples.",
        "Then Mia has 20 - 3 = <<20-3=17>>17 apples.",
        "Mia has <<20-3=17>>17 apples."), net.get(1).wordings());
    assertEquals(List.of("Mia has 20 + 5 - 8 = <<20+5-8=17>>17 apples.",
        "Mia now has 20 + 5 - 8 = <<20+5-8=17>>17 apples.",
        "Mia has <<20+5-8=17>>17 apples."), space.paths().get(2).lines().get(0).wordings());
    // 3 x 4 wordings for each two-line path, 3 for the merged line, 2 x 4 for the net change.
    assertEquals(12 + 12 + 3 + 8, space.textCount());
    List<String> texts = space.texts();
    assertEquals(35, new HashSet<>(texts).size());
    assertEquals("Mia has 20 + 5 = <<20+5=25>>25 apples.\n"
        + "Mia has 25 - 8 = <<25-8=17>>17 apples.\n#### 17", texts.get(0));
    assertTrue(space.contains("Mia has <<5+20=25>>25 apples.\n"
        + "Then Mia has 25 - 8 = <<25-8=17>>17 apples.\n#### 17"));
  }

  @Test
  void aHandWorkedMoneyChainMergesWithBracketsAndCombinesFactors() {
    // "Kai has $4. Kai earns $3 more. Zoe has twice as much money as Kai. Ivy has 3 times as
    // much money as Zoe. How much money does Ivy have?"
    Story story = new Story("(the question)", true, "coins",
        List.of(new Step(Operation.ADD, 4, 3, 7, "Kai", "Kai", "has", false),
            new Step(Operation.MULTIPLY, 7, 2, 14, "Kai", "Zoe", "has", false),
            new Step(Operation.MULTIPLY, 14, 3, 42, "Zoe", "Ivy", "has", false)),
        List.of());
    SolutionSpace space = SolutionSpace.of(story);
    // One line a step: 2 x 2 x 2 orders; the last two merged: 2; the last two through one
    // factor of 6: 2 x 2 x 2; the first two merged, "(4+3)*2": 2.
    assertEquals(8 + 2 + 8 + 2, space.pathCount());
    Set<List<String>> paths = new HashSet<>();
    space.paths().forEach(p -> paths.add(p.annotations()));
    assertTrue(paths.contains(List.of("(4+3)*2=14", "3*14=42")), paths.toString());
    assertTrue(paths.contains(List.of("3+4=7", "7*2*3=42")), paths.toString());
    assertTrue(paths.contains(List.of("4+3=7", "3*2=6", "6*7=42")), paths.toString());
    assertTrue(space.contains("Kai has 4 + 3 = $<<4+3=7>>7.\n"
        + "Ivy has 2 * 3 = <<2*3=6>>6 times as much money as Kai.\n"
        + "Then Ivy has 7 * 6 = $<<7*6=42>>42.\n#### 42"));
    assertTrue(space.contains("Zoe has (4 + 3) * 2 = $<<(4+3)*2=14>>14.\n"
        + "Ivy has $<<14*3=42>>42.\n#### 42"));
  }

  @Test
  void everyTextOfDrawnQuestionsChecksOutAndVersionOnesSolutionIsTheFirst() {
    SyntheticBenchmark drawer = new SyntheticBenchmark(SyntheticOptions.defaults());
    Set<String> vocabulary = new HashSet<>(SyntheticBenchmark.vocabulary());
    Random random = new Random(11);
    int checked = 0;
    for (Story story : stories(drawer, random, 200)) {
      SolutionSpace space = SolutionSpace.of(story);
      List<String> v1 = new ArrayList<>(story.v1Lines());
      v1.add("#### " + story.answer());
      String v1Solution = String.join("\n", v1);
      List<String> texts = space.textCount() <= 5000 ? space.texts() : samples(space, random);
      if (space.textCount() <= 5000) {
        assertEquals(v1Solution, texts.get(0));
        assertEquals(space.textCount(), new HashSet<>(texts).size(), "repeated texts");
      }
      assertTrue(space.contains(v1Solution), v1Solution);
      for (String text : texts) {
        assertValid(text, space.answer());
        assertTrue(space.contains(text), text);
        assertEquals(Answers.annotations(text), space.pathOf(text).orElseThrow().annotations());
        for (String piece : WordLevelTokenizerJson.pieces(text)) {
          assertTrue(vocabulary.contains(piece), "'" + piece + "' is not in the vocabulary: "
              + text);
        }
        checked++;
      }
    }
    assertTrue(checked > 10_000, "texts checked: " + checked);
  }

  @Test
  void textsOffThePathsAreRejected() {
    SolutionSpace space = SolutionSpace.of(ADD_THEN_REMOVE);
    String valid = space.texts().get(0);
    assertFalse(space.contains(valid.replace("#### 17", "#### 18")));
    assertFalse(space.contains(valid.replace("<<25-8=17>>17", "<<25-8=18>>18")));
    assertFalse(space.contains(valid + "\n"));
    assertFalse(space.contains(valid.replace(" apples.", "  apples.")));
    assertFalse(space.contains(valid.replace("Mia has 25", "Liam has 25")));
    // Lines of two paths mixed: "5+20" then the net change's second line.
    assertFalse(space.contains("Mia has 5 + 20 = <<5+20=25>>25 apples.\n"
        + "Mia has 20 - 3 = <<20-3=17>>17 apples.\n#### 17"));
    // A correct answer by a path the space does not hold (the removal applied first).
    assertFalse(space.contains("Mia has 20 - 8 = <<20-8=12>>12 apples.\n"
        + "Mia has 12 + 5 = <<12+5=17>>17 apples.\n#### 17"));
  }

  @Test
  void samplingIsDeterministicBySeedAndStaysInTheSpace() {
    SyntheticBenchmark drawer = new SyntheticBenchmark(SyntheticOptions.defaults());
    for (Story story : stories(drawer, new Random(5), 50)) {
      SolutionSpace space = SolutionSpace.of(story);
      String a = space.sample(new Random(99));
      assertEquals(a, space.sample(new Random(99)));
      assertTrue(space.contains(a), a);
    }
  }

  private static void assertValid(String text, String answer) {
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length - 1; i++) {
      List<String> annotations = Answers.annotations(lines[i]);
      assertEquals(1, annotations.size(), lines[i]);
      String body = annotations.get(0);
      assertTrue(Calculator.checks(body, BigDecimal.ZERO), body);
      String result = body.substring(body.lastIndexOf('=') + 1);
      assertTrue(lines[i].contains(">>" + result + " ") || lines[i].contains(">>" + result + "."),
          "the text after the annotation is not its result: " + lines[i]);
    }
    assertEquals("#### " + answer, lines[lines.length - 1]);
    assertEquals(answer, Answers.finalAnswerOfSolution(text));
    assertEquals(answer, Answers.extract(text).normalized());
  }

  private static List<String> samples(SolutionSpace space, Random random) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(space.sample(random));
    }
    return out;
  }

  static List<Story> stories(SyntheticBenchmark drawer, Random random, int count) {
    List<Story> stories = new ArrayList<>();
    while (stories.size() < count) {
      Story story = drawer.story(random, drawer.sampleSteps(random));
      if (story != null) {
        stories.add(story);
      }
    }
    return stories;
  }
}
