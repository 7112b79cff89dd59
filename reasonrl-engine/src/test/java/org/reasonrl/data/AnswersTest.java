package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reasonrl.data.ExtractedAnswer.Rule;

class AnswersTest {

  @Test
  void strictRuleTakesTheHashLineWithCommasRemoved() {
    ExtractedAnswer a = Answers.extract("So 10 * 100 = 1000 dollars.\n#### 1,000\nThen 7.");
    assertEquals(Rule.STRICT, a.rule());
    assertEquals("1,000", a.raw());
    assertEquals("1000", a.normalized());
    assertTrue(Answers.isCorrect(a, "1000"));
  }

  @Test
  void anAnswerLineIsCompleteOnceItsNewlineIsWritten() {
    assertFalse(Answers.hasCompleteAnswerLine(""));
    assertFalse(Answers.hasCompleteAnswerLine(" 3 + 4 = 7\n#### 7"));
    assertTrue(Answers.hasCompleteAnswerLine(" 3 + 4 = 7\n#### 7\n"));
    assertTrue(Answers.hasCompleteAnswerLine("####\n"));
    assertFalse(Answers.hasCompleteAnswerLine("### 7\n"), "three hashes are not the marker");
    assertFalse(Answers.hasCompleteAnswerLine("7\n\n####"), "the newline must follow the marker");
  }

  @Test
  void strictRuleWinsOverLaterNumbersAndReadsNegatives() {
    ExtractedAnswer a = Answers.extract("#### -3\nI also think 12.");
    assertEquals(Rule.STRICT, a.rule());
    assertEquals("-3", a.normalized());
    assertTrue(Answers.isCorrect(a, "-3"));
    assertFalse(Answers.isCorrect(a, "3"));
  }

  @Test
  void flexibleRuleTakesTheLastNumberAndDropsDollarAndTrailingDot() {
    ExtractedAnswer a = Answers.extract("She has 5 apples and pays $18.");
    assertEquals(Rule.FLEXIBLE, a.rule());
    assertEquals("$18.", a.raw());
    assertEquals("18", a.normalized());
    assertTrue(Answers.isCorrect(a, "18"));
    assertTrue(Answers.isCorrect(a, "18.0"));
  }

  @Test
  void flexibleRuleReadsSingleDigitsAndNegatives() {
    assertEquals("7", Answers.extract("the answer is 7").normalized());
    assertEquals("-3", Answers.extract("it drops to -3 degrees").normalized());
    // "## 5" is not the strict "#### 5" form, so the flexible rule finds 5.
    ExtractedAnswer a = Answers.extract("## 5");
    assertEquals(Rule.FLEXIBLE, a.rule());
    assertEquals("5", a.normalized());
  }

  @Test
  void noNumberMeansNoAnswerAndNeverCorrect() {
    ExtractedAnswer a = Answers.extract("I do not know.");
    assertEquals(Rule.NONE, a.rule());
    assertFalse(a.present());
    assertNull(a.voteKey());
    assertFalse(Answers.isCorrect(a, "0"));
    assertFalse(Answers.extract(null).present());
  }

  @Test
  void numericEqualityIgnoresFormatting() {
    assertTrue(Answers.equivalent("18", "18.0"));
    assertTrue(Answers.equivalent("1,000", "1000"));
    assertTrue(Answers.equivalent("$5.", "5"));
    assertTrue(Answers.equivalent("0.50", ".5"));
    assertFalse(Answers.equivalent("18", "18.5"));
    assertEquals("18", Answers.canonical("18.00"));
    assertEquals("1000", Answers.canonical("1,000"));
    assertEquals("0", Answers.canonical("-0.0"));
  }

  @Test
  void finalAnswerOfSolutionReadsTheLastHashLine() {
    assertEquals("72", Answers.finalAnswerOfSolution("a\n#### 72"));
    assertEquals("1000", Answers.finalAnswerOfSolution("a\n#### 1,000\n"));
    assertNull(Answers.finalAnswerOfSolution("no final line 72"));
  }

  @Test
  void referenceStepValuesComeFromAnnotationsElseTheLastNumberOfALine() {
    String solution = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
        + "She had 3 boxes, so 24 + 3 more makes 27 in all.\n"
        + "Then <<27*2=54>>54 and <<54-4=50>>50.\n"
        + "No numbers here.\n"
        + "#### 50";
    assertEquals(List.of(new BigDecimal("24"), new BigDecimal("27"), new BigDecimal("54"),
        new BigDecimal("50")), Answers.referenceStepValues(solution));
  }

  @Test
  void aGeneratedStepsResultIsItsLastAnnotatedResultElseItsLastNumber() {
    assertEquals(new BigDecimal("12"), Answers.stepResult("Mia earns 3 * 4 = $<<3*4=12>>12."));
    assertEquals(new BigDecimal("7"), Answers.stepResult("Then <<2*3=6>>6 and <<6+1=7>>7.\n"));
    assertEquals(new BigDecimal("3"), Answers.stepResult("Mia has 12 apples and 3 bags."));
    assertEquals(new BigDecimal("1000"), Answers.stepResult("She has 1,000 coins."));
    // An annotation without a numeric result does not count; the line's last number does.
    assertEquals(new BigDecimal("9"), Answers.stepResult("So <<4+5=>> is 9"));
    assertNull(Answers.stepResult("No numbers here.\n"));
  }

  @Test
  void calculatorEvaluatesAnnotationsIndependently() {
    assertEquals(0, new BigDecimal("24").compareTo(Calculator.evaluate("48/2")));
    assertEquals(0, new BigDecimal("-7").compareTo(Calculator.evaluate("2-(3+6)")));
    assertEquals(0, new BigDecimal("14").compareTo(Calculator.evaluate("2+3*4")));
    assertEquals(0, new BigDecimal("1500").compareTo(Calculator.evaluate("1,000+500")));
    assertTrue(Calculator.checks("10/3=3.33", new BigDecimal("0.01")));
    assertFalse(Calculator.checks("6*7=43", new BigDecimal("0.01")));
    assertThrows(IllegalArgumentException.class, () -> Calculator.evaluate("2+"));
    assertThrows(IllegalArgumentException.class, () -> Calculator.evaluate("4/0"));
  }
}
