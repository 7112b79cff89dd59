package org.reasonrl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reasonrl.data.Problem;

class NoveltyReferenceTest {

  private static final String REFERENCE = "Mia has 3 + 4 = <<3+4=7>>7 apples.\n"
      + "She gives 2 away, so 7 - 2 = <<7-2=5>>5 apples.\n#### 5";

  @Test
  void aPathIsTheSequenceOfStepResultsUpToTheAnswerLine() {
    assertEquals(List.of("7", "5"), NoveltyReference.path(REFERENCE));
    // Other wording, operand order, number formats and what follows the answer line: same path.
    assertEquals(List.of("7", "5"), NoveltyReference.path(
        " Mia ends up with 4+3 = <<4+3=7.0>>7 apples\n\nThen 7-2=<<7-2=5>>5.\n #### 5\nQuestion: 9"));
    // A line without annotations gives its last number; one without numbers gives nothing.
    assertEquals(List.of("7", "1000", "5"), NoveltyReference.path(
        "First 3 and 4 make 7.\nThat is all.\nTimes 1,000 gives 1,000\n7-2=<<7-2=5>>5\n#### 5"));
    // Merged steps: one result; two annotations on a line: both, in order.
    assertEquals(List.of("5"), NoveltyReference.path("3 + 4 - 2 = <<3+4-2=5>>5\n#### 5"));
    assertEquals(List.of("7", "5"), NoveltyReference.path("<<3+4=7>>7 then <<7-2=5>>5\n#### 5"));
    assertEquals(List.of(), NoveltyReference.path("#### 5"));
  }

  @Test
  void novelCorrectSamplesAreCountedPerReferencedProblem() {
    NoveltyReference reference = NoveltyReference.of(List.of(
        new Problem("p1", "q1", REFERENCE, "5"),
        new Problem("p2", "q2", "2 * 3 = <<2*3=6>>6\n#### 6", "6"),
        new Problem("p3", "q3", null, "1"))); // no reference: not covered
    assertEquals(2, reference.size());
    assertFalse(reference.covers("p3"));
    List<ProblemOutcome> outcomes = List.of(
        new ProblemOutcome("p1", "5", Sample.judge("3+4-2=<<3+4-2=5>>5\n#### 5", "5", null),
            List.of(
                Sample.judge("Now 4 + 3 = <<4+3=7>>7.\nAnd 7 - 2 = <<7-2=5>>5.\n#### 5", "5",
                    null), // known path
                Sample.judge("3 + 4 - 2 = <<3+4-2=5>>5\n#### 5", "5", null), // merged: novel
                Sample.judge("3 - 2 = <<3-2=1>>1\n1 + 4 = <<1+4=5>>5\n#### 5", "5", null), // novel
                Sample.judge("3 + 4 = <<3+4=7>>7\n#### 7", "5", null))), // wrong: not counted
        new ProblemOutcome("p2", "6", null, List.of(
            Sample.judge("3 * 2 = <<3*2=6>>6\n#### 6", "6", null), // known
            Sample.judge("#### 6", "6", null))), // novel (no steps)
        new ProblemOutcome("p3", "1", null, List.of(Sample.judge("#### 1", "1", null))),
        new ProblemOutcome("p4", "1", null, List.of(Sample.judge("#### 1", "1", null))));
    // Referenced: p1, p2. Correct: 3 + 2 = 5 (the greedy one is not a sample); novel: 2 + 1.
    assertEquals(new Novelty(2, 5, 3, 3.0 / 5), reference.measure(outcomes));
    assertTrue(reference.isNovel("p2", "#### 6"));
    assertThrows(IllegalArgumentException.class, () -> reference.isNovel("p4", "#### 1"));
    Novelty nothingCorrect = reference.measure(List.of(new ProblemOutcome("p2", "6", null,
        List.of(Sample.judge("#### 7", "6", null)))));
    assertEquals(new Novelty(1, 0, 0, null), nothingCorrect);
    assertNull(reference.measure(outcomes.subList(3, 4)).novelShare());
  }

  @Test
  void severalReferencesPerProblemAllCountAsKnown() {
    NoveltyReference reference = new NoveltyReference(Map.of("p", List.of(REFERENCE,
        "3 + 4 - 2 = <<3+4-2=5>>5\n#### 5")));
    assertFalse(reference.isNovel("p", "<<3+4-2=5>>5\n#### 5"));
    assertFalse(reference.isNovel("p", REFERENCE));
    assertTrue(reference.isNovel("p", "3 - 2 = <<3-2=1>>1\n1 + 4 = <<1+4=5>>5\n#### 5"));
    assertThrows(IllegalArgumentException.class,
        () -> new NoveltyReference(Map.of("p", List.of())));
  }
}
