package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the real GSM8K and SVAMP files beside the project ({@code ../shared/data} from the
 * repository root, or {@code -Dreasonrl.sharedData=...}); skipped where they are absent.
 */
class SharedDataTest {

  private static Path data;

  @BeforeAll
  static void locate() {
    String property = System.getProperty("reasonrl.sharedData");
    List<Path> candidates = new ArrayList<>();
    if (property != null) {
      candidates.add(Path.of(property)); // when given, the only place looked at
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; property == null && dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw"))) { // the repository root
        candidates.add(dir.resolve("../shared/data").normalize());
        break;
      }
    }
    data = candidates.stream().filter(p -> Files.isDirectory(p.resolve("gsm8k"))).findFirst()
        .orElse(null);
  }

  @Test
  void gsm8kLoadsEveryRowAndItsOwnSolutionsExtractToTheGoldAnswer() throws IOException {
    Assumptions.assumeTrue(data != null, "no shared data folder; skipping");
    ProblemSet train = Gsm8k.load(data.resolve("gsm8k/train.jsonl"));
    ProblemSet test = Gsm8k.load(data.resolve("gsm8k/test.jsonl"));
    assertEquals(7473, train.size());
    assertEquals(1319, test.size());
    int negative = 0;
    int nonAscii = 0;
    for (Problem p : train.problems()) {
      ExtractedAnswer strict = Answers.extract(p.referenceSolution());
      assertEquals(ExtractedAnswer.Rule.STRICT, strict.rule(), p.id());
      assertTrue(Answers.isCorrect(strict, p.answer()), p.id());
      assertTrue(!p.answer().contains(","), p.id());
      negative += p.answer().startsWith("-") ? 1 : 0;
      nonAscii += p.question().chars().anyMatch(c -> c > 127) ? 1 : 0;
    }
    assertEquals(3, negative); // as data/README.md counts
    assertTrue(nonAscii > 0);
  }

  @Test
  void gsm8kCalculatorAnnotationsEvaluate() throws IOException {
    Assumptions.assumeTrue(data != null, "no shared data folder; skipping");
    int total = 0;
    int unparsable = 0;
    int wrong = 0;
    int withoutAnnotation = 0;
    List<String> examples = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      for (Problem p : Gsm8k.load(data.resolve("gsm8k/" + split + ".jsonl")).problems()) {
        List<String> annotations = Answers.annotations(p.referenceSolution());
        withoutAnnotation += annotations.isEmpty() ? 1 : 0;
        for (String a : annotations) {
          total++;
          try {
            // GSM8K rounds some results to cents, so allow 0.01.
            if (!Calculator.checks(a, new BigDecimal("0.01"))) {
              wrong++;
              if (examples.size() < 5) {
                examples.add(p.id() + ": " + a);
              }
            }
          } catch (IllegalArgumentException e) {
            unparsable++;
            if (examples.size() < 10) {
              examples.add(p.id() + ": " + a + " (" + e.getMessage() + ")");
            }
          }
        }
        assertEquals(Answers.referenceStepValues(p.referenceSolution()).isEmpty(),
            p.referenceSolution().split("\n").length == 1, p.id());
      }
    }
    System.out.printf("GSM8K annotations: %d, wrong %d, unparsable %d, solutions without any %d;"
        + " e.g. %s%n", total, wrong, unparsable, withoutAnnotation, examples);
    assertEquals(95 + 18, withoutAnnotation); // as data/README.md counts
    assertTrue(total > 25000, "annotations: " + total);
    // Measured: 3 of 27998 fail (two Python floor divisions "560//10", one "3/4=3/4").
    assertTrue(unparsable + wrong <= 10, "too many failing annotations: " + examples);
  }

  @Test
  void svampLoadsAllThousandProblemsWithIntegralAnswers() throws IOException {
    Assumptions.assumeTrue(data != null, "no shared data folder; skipping");
    ProblemSet svamp = Svamp.load(data.resolve("svamp/SVAMP.json"));
    assertEquals(1000, svamp.size());
    assertEquals(0, svamp.skippedCount());
    Problem first = svamp.problems().get(0);
    assertEquals("chal-1", first.id());
    assertEquals("Each pack of dvds costs 76 dollars. If there is a discount of 25 dollars on each"
        + " pack How much do you have to pay to buy each pack?", first.question());
    assertEquals("51", first.answer());
    assertTrue(svamp.problems().stream().allMatch(p -> p.answer().matches("-?\\d+")));
  }
}
