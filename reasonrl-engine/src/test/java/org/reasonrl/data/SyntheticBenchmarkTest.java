package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyntheticBenchmarkTest {

  private static final SyntheticOptions SMALL = SyntheticOptions.defaults().withSizes(1500, 300);
  // One step line: "<who> has|gets|earns <text> = [$]<<a op b=c>>c[ words]."
  private static final Pattern ANNOTATION = Pattern.compile("<<(-?\\d+)([-+*/])(-?\\d+)=(-?\\d+)>>(-?\\d+)");

  @Test
  void everyStepChecksOutAndTheFinalLineIsTheLastValue() {
    SyntheticBenchmark.Splits splits = new SyntheticBenchmark(SMALL).generate();
    List<Problem> all = new ArrayList<>(splits.train());
    all.addAll(splits.test());
    int[] byStep = new int[SMALL.maxSteps() + 1];
    for (Problem p : all) {
      String[] lines = p.referenceSolution().split("\n");
      String last = null;
      for (int i = 0; i < lines.length - 1; i++) {
        Matcher m = ANNOTATION.matcher(lines[i]);
        assertTrue(m.find(), "no annotation on line " + i + " of " + p);
        long a = Long.parseLong(m.group(1));
        long b = Long.parseLong(m.group(3));
        long stated = Long.parseLong(m.group(4));
        long expected = switch (m.group(2)) {
          case "+" -> a + b;
          case "-" -> a - b;
          case "*" -> a * b;
          default -> {
            assertEquals(0, a % b, "inexact division in " + p);
            yield a / b;
          }
        };
        assertEquals(expected, stated, lines[i]);
        assertEquals(m.group(4), m.group(5), "text after the annotation differs: " + lines[i]);
        // Independently again, with the general calculator.
        assertEquals(0, Calculator.evaluate(m.group(1) + m.group(2) + m.group(3))
            .compareTo(new BigDecimal(stated)));
        // No "1 apples": every amount and result is at least 2 unless negatives are enabled.
        assertTrue(stated >= 2 && stated <= SMALL.answerMax(), "out of range: " + lines[i]);
        assertTrue(b >= 2, "amount below 2: " + lines[i]);
        last = m.group(4);
        assertFalse(m.find(), "two annotations on one line: " + lines[i]);
      }
      assertEquals("#### " + last, lines[lines.length - 1], p.toString());
      assertEquals(last, p.answer());
      assertEquals(last, Answers.finalAnswerOfSolution(p.referenceSolution()));
      int steps = lines.length - 1;
      assertTrue(steps >= 1 && steps <= SMALL.maxSteps(), p.toString());
      byStep[steps]++;
      assertTrue(SyntheticBenchmark.tokenCount(p) <= SMALL.maxTokens());
    }
    for (int s = 1; s <= SMALL.maxSteps(); s++) {
      assertTrue(byStep[s] > all.size() / 10, "too few " + s + "-step problems: " + byStep[s]);
    }
  }

  @Test
  void trainAndTestShareNoQuestionAndQuestionsAreDiverse() {
    SyntheticBenchmark.Splits splits = new SyntheticBenchmark(SMALL).generate();
    Set<String> test = new HashSet<>();
    splits.test().forEach(p -> test.add(p.question()));
    assertEquals(splits.test().size(), test.size());
    Set<String> train = new HashSet<>();
    for (Problem p : splits.train()) {
      assertFalse(test.contains(p.question()), "shared question: " + p.question());
      assertTrue(train.add(p.question()), "duplicate train question: " + p.question());
    }
    // Diversity: many different opening sentences and question sentences.
    Set<String> openingWords = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Problem p : splits.train()) {
      String[] words = p.question().split(" ");
      names.add(words[0]);
      openingWords.add(words[1]);
    }
    assertTrue(names.size() >= 20, "names: " + names);
    assertTrue(openingWords.size() >= 8, "verbs: " + openingWords);
  }

  @Test
  void negativesAppearOnlyWhenEnabled() {
    SyntheticOptions d = SMALL;
    SyntheticOptions negative = new SyntheticOptions(d.seed(), 400, 0, List.of(0.0, 0.0, 0.0, 1.0),
        2, 6, 20, d.factorMax(), d.divisorMax(), d.groupMax(), d.answerMax(), true, 0.2,
        d.maxTokens());
    List<Problem> problems = new SyntheticBenchmark(negative).generate().train();
    assertTrue(problems.stream().anyMatch(p -> p.answer().startsWith("-")));
    for (Problem p : problems) {
      assertEquals(p.answer(), Answers.extract(p.referenceSolution()).normalized());
    }
    assertTrue(new SyntheticBenchmark(d).generate().train().stream()
        .noneMatch(p -> p.referenceSolution().contains("=-")));
  }

  @Test
  void impossibleRequestsFailClearly() {
    SyntheticOptions d = SyntheticOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> new SyntheticOptions(d.seed(), 1, 1,
        List.of(), 2, 30, 20, 5, 5, 10, 999, false, 0.2, 160));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticOptions(d.seed(), 1, 1,
        List.of(1.0), 40, 30, 20, 5, 5, 10, 999, false, 0.2, 160));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticOptions(d.seed(), 1, 1,
        List.of(1.0), 2, 30, 20, 5, 5, 10, 40, false, 0.2, 160));
  }

  @Test
  void pretrainCorpusIsDeterministicArithmeticallyTrueAndAvoidsTestQuestions() {
    SyntheticBenchmark.Splits splits = new SyntheticBenchmark(SMALL).generate();
    PretrainCorpus corpus = new PretrainCorpus(SMALL);
    List<String> docs = corpus.generate(7, 400, splits.test());
    assertEquals(docs, corpus.generate(7, 400, splits.test()));
    assertNotEquals(docs, corpus.generate(8, 400, splits.test()));
    Set<String> testQuestions = new HashSet<>();
    splits.test().forEach(p -> testQuestions.add(p.question()));
    Pattern symbolic = Pattern.compile("^(\\d+) ([-+*/]) (\\d+) = (\\d+)$");
    Pattern words = Pattern.compile("^(\\d+) (plus|minus|times|divided by) (\\d+) is (\\d+)\\.$");
    int facts = 0;
    int answers = 0;
    for (String doc : docs) {
      assertFalse(doc.contains("<<"), "corpus must not teach the worked format: " + doc);
      assertFalse(doc.contains("####"), doc);
      if (doc.startsWith("Question: ")) {
        answers++;
        String q = doc.substring("Question: ".length(), doc.indexOf("\nAnswer: "));
        assertFalse(testQuestions.contains(q), "test question leaked: " + q);
        continue;
      }
      for (String line : doc.split("\n")) {
        Matcher s = symbolic.matcher(line);
        Matcher w = words.matcher(line);
        if (s.matches() || w.matches()) {
          Matcher m = s.matches() ? s : w;
          String op = switch (m.group(2)) {
            case "plus" -> "+";
            case "minus" -> "-";
            case "times" -> "*";
            case "divided by" -> "/";
            default -> m.group(2);
          };
          assertEquals(0, Calculator.evaluate(m.group(1) + op + m.group(3))
              .compareTo(new BigDecimal(m.group(4))), line);
          facts++;
        }
      }
    }
    assertTrue(facts > 500, "facts: " + facts);
    assertTrue(answers > 10, "question/answer documents: " + answers);
  }
}
