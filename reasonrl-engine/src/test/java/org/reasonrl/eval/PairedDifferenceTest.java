package org.reasonrl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.run.Json;

class PairedDifferenceTest {

  @TempDir
  Path dir;

  /** A problem whose greedy answer and samples are right where {@code right[i]} says. */
  private static ProblemOutcome outcome(String id, boolean greedyRight, boolean... right) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < right.length; i++) {
      samples.add(Sample.judge("step " + i + "\n#### " + (right[i] ? "5" : "6"), "5",
          0.1 * i + (right[i] ? 0.5 : 0)));
    }
    return new ProblemOutcome(id, "5", Sample.judge("#### " + (greedyRight ? "5" : "4"), "5",
        null), samples);
  }

  /** Problems p0..p(n-1), each right with probability {@code p}, with 4 samples each. */
  private static List<ProblemOutcome> method(int n, double p, long seed) {
    Random random = new Random(seed);
    List<ProblemOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      outcomes.add(outcome("p" + i, random.nextDouble() < p, random.nextDouble() < p,
          random.nextDouble() < p, random.nextDouble() < p, random.nextDouble() < p));
    }
    return outcomes;
  }

  @Test
  void identicalMethodsDifferByZeroWithAZeroWidthInterval() {
    List<ProblemOutcome> a = method(40, 0.5, 1);
    for (Accuracy metric : List.of(Accuracy.maj1(), Accuracy.majAtK(2), Accuracy.passAtK(4),
        Accuracy.rerankAtK(2), Accuracy.majAtKFirst(2))) {
      PairedDifference d = PairedDifference.of(a, List.copyOf(a), metric, 3, 500);
      assertEquals(new PairedDifference(metric.label(), 40, d.a(), d.a(), 0, 0, 0), d);
      assertFalse(d.excludesZero());
    }
  }

  @Test
  void aMethodBetterOnEveryProblemHasAnIntervalAboveZero() {
    List<ProblemOutcome> worse = new ArrayList<>();
    List<ProblemOutcome> better = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // Greedy wrong vs right everywhere; sample votes 1 of 4 vs 3 of 4 right.
      worse.add(outcome("p" + i, false, true, false, false, false));
      better.add(outcome("p" + i, true, true, true, true, false));
    }
    PairedDifference maj1 = PairedDifference.of(better, worse, Accuracy.maj1(), 3, 500);
    assertEquals(1.0, maj1.estimate(), 0);
    assertEquals(1.0, maj1.ciLow(), 0);
    // maj@2 over groups (1,2), (3,4): worse: a right-first tie (right), two wrong (wrong) = 0.5;
    // better: two right, a right-first tie = 1.
    PairedDifference maj2 = PairedDifference.of(better, worse, Accuracy.majAtK(2), 3, 500);
    assertEquals(1.0, maj2.a(), 1e-12);
    assertEquals(0.5, maj2.b(), 1e-12);
    assertEquals(0.5, maj2.estimate(), 1e-12);
    assertTrue(maj2.ciLow() > 0 && maj2.excludesZero(), maj2.toString());
    assertEquals("+0.500 [0.500, 0.500]", maj2.format());
    // Reversed: the same difference, negated.
    PairedDifference reversed = PairedDifference.of(worse, better, Accuracy.majAtK(2), 3, 500);
    assertEquals(-0.5, reversed.estimate(), 1e-12);
    assertTrue(reversed.ciHigh() < 0);
  }

  @Test
  void pairingNarrowsTheIntervalOfMethodsThatShareTheirHardProblems() {
    // B is A with one more problem solved: the difference is 1/50, and its interval is a
    // fraction of either method's own.
    List<ProblemOutcome> a = new ArrayList<>();
    List<ProblemOutcome> b = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      boolean right = i % 2 == 0;
      a.add(outcome("p" + i, right, right));
      b.add(outcome("p" + i, right || i == 1, right));
    }
    PairedDifference d = PairedDifference.of(b, a, Accuracy.maj1(), 7, 1000);
    assertEquals(0.02, d.estimate(), 1e-12);
    assertTrue(d.ciLow() >= 0, d.toString()); // no problem got worse
    MetricValue own = MetricValue.of(Metrics.maj1Scores(a), 7, 1000);
    assertTrue(d.ciHigh() - d.ciLow() < (own.ciHigh() - own.ciLow()) / 2, d + " vs " + own);
  }

  @Test
  void differentProblemListsAreAClearError() {
    List<ProblemOutcome> a = method(5, 0.5, 1);
    List<ProblemOutcome> fewer = a.subList(0, 4);
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> PairedDifference.of(a, fewer, Accuracy.maj1(), 1, 10));
    assertTrue(size.getMessage().contains("A has 5 and B has 4"), size.getMessage());
    List<ProblemOutcome> swapped = new ArrayList<>(a);
    swapped.set(2, a.get(3));
    swapped.set(3, a.get(2));
    IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
        () -> PairedDifference.of(a, swapped, Accuracy.maj1(), 1, 10));
    assertTrue(order.getMessage().contains("problem 2 is 'p2' in A and 'p3' in B"),
        order.getMessage());
    List<ProblemOutcome> unscored = a.stream().map(o -> new ProblemOutcome(o.problemId(),
        o.gold(), o.greedy(), o.samples().stream().map(s -> new Sample(s.text(), s.answer(),
            s.correct(), null)).toList())).toList();
    IllegalArgumentException rerank = assertThrows(IllegalArgumentException.class,
        () -> PairedDifference.of(a, unscored, Accuracy.rerankAtK(2), 1, 10));
    assertTrue(rerank.getMessage().contains("rerank@2 needs reward-model scores"),
        rerank.getMessage());
  }

  @Test
  void writtenEvaluationsAreComparedAsTheOutcomesTheyWereWrittenFrom() throws IOException {
    List<ProblemOutcome> a = method(20, 0.4, 5);
    List<ProblemOutcome> b = method(20, 0.6, 6);
    Path dirA = write("a", a, 2);
    Path dirB = write("b", b, 2);
    WrittenEvaluation readA = WrittenEvaluation.read(dirA.resolve("eval.json"));
    assertEquals(a, readA.outcomes(), "samples.jsonl round trip");
    assertEquals(2, readA.k());
    assertEquals(Metrics.evaluate(a, 2, 9, 100), readA.result());
    for (Accuracy metric : List.of(Accuracy.maj1(), Accuracy.majAtK(2), Accuracy.rerankAtK(2),
        Accuracy.passAtK(4))) {
      assertEquals(PairedDifference.of(b, a, metric, 4, 300),
          PairedDifference.between(dirB, dirA, metric, 4, 300));
    }
    Path shorter = write("c", a.subList(0, 19), 2);
    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> PairedDifference.between(dirA, shorter, Accuracy.maj1(), 4, 300));
    assertTrue(mismatch.getMessage().contains(shorter.toString()), mismatch.getMessage());
    Files.delete(shorter.resolve("samples.jsonl"));
    IllegalArgumentException unfinished = assertThrows(IllegalArgumentException.class,
        () -> WrittenEvaluation.read(shorter));
    assertTrue(unfinished.getMessage().contains("samples.jsonl"), unfinished.getMessage());
  }

  @Test
  void accuracyLabelsParseBack() {
    for (Accuracy metric : List.of(Accuracy.maj1(), Accuracy.majAtK(4), Accuracy.majAtKFirst(4),
        Accuracy.rerankAtK(8), Accuracy.rerankAtKFirst(8), Accuracy.passAtK(96))) {
      assertEquals(metric, Accuracy.parse(metric.label()));
    }
    assertEquals(Accuracy.majAtK(4), Accuracy.parse(" Maj@4 "));
    assertThrows(IllegalArgumentException.class, () -> Accuracy.parse("pass@4-first"));
    assertThrows(IllegalArgumentException.class, () -> Accuracy.parse("acc@4"));
  }

  /** Writes what the eval job writes: eval.json's result and samples.jsonl's records. */
  private Path write(String name, List<ProblemOutcome> outcomes, int k) throws IOException {
    Path run = Files.createDirectories(dir.resolve(name));
    Map<String, Object> eval = new LinkedHashMap<>();
    eval.put("result", Metrics.evaluate(outcomes, k, 9, 100));
    eval.put("checkpoint", "/runs/" + name);
    Files.write(run.resolve("eval.json"), Json.mapper().writeValueAsBytes(eval));
    List<SampleRecord> records = new ArrayList<>();
    for (ProblemOutcome o : outcomes) {
      records.add(record(o, "greedy", 0, o.greedy()));
      for (int s = 0; s < o.samples().size(); s++) {
        records.add(record(o, "sample", s, o.samples().get(s)));
      }
    }
    Files.write(run.resolve("samples.jsonl"), Json.lines(records));
    return run;
  }

  private static SampleRecord record(ProblemOutcome o, String kind, int index, Sample s) {
    return new SampleRecord(o.problemId(), o.gold(), kind, index, s.text(),
        s.answer().normalized(), s.answer().rule().name().toLowerCase(), s.correct(), s.score(),
        "answer_line", 7);
  }
}
