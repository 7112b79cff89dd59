package org.reasonrl.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenChooserTest {

  /** Known logits, placed after two rows of other logits to exercise the offset. */
  private static final float[] LOGITS = {2.0f, 0.5f, -1.0f, 1.5f, 0.0f, 3.0f, -0.25f};
  private static final int OFFSET = 2 * LOGITS.length;

  @Test
  void eachDrawIsTheInverseCdfOfTheTemperedNucleusForOneUniformOfTheStream() {
    double temperature = 0.7;
    double topP = 0.8;
    TokenChooser chooser = new TokenChooser(new SamplingOptions(temperature, topP, 1, 1,
        StopCondition.NONE));
    float[] batch = batchOf(LOGITS);
    double[] nucleus = nucleus(LOGITS, temperature, topP);
    double[] logSoftmax = logSoftmax(LOGITS);
    int[] counts = new int[LOGITS.length];
    for (long seed = 0; seed < 2000; seed++) {
      double u = new SplittableRandom(seed).nextDouble();
      int expected = inverseCdf(nucleus, u);
      TokenChooser.Choice choice =
          chooser.choose(batch, OFFSET, LOGITS.length, new SplittableRandom(seed));
      assertEquals(expected, choice.token(), "seed " + seed);
      assertEquals(logSoftmax[expected], choice.logprob(), 1e-6);
      assertEquals(Math.log(nucleus[expected]), choice.samplingLogprob(), 1e-6);
      counts[choice.token()]++;
    }
    // At T = 0.7 the nucleus of mass 0.8 is tokens 5 and 0 (p = 0.71 and 0.17 before the cut).
    assertEquals(List.of(0, 5), IntStream.range(0, counts.length).filter(v -> counts[v] > 0)
        .boxed().toList());
  }

  @Test
  void greedyTakesTheFirstLargestLogitWithoutDrawing() {
    TokenChooser chooser = new TokenChooser(SamplingOptions.greedy(1, 1));
    float[] tied = {1.0f, 3.0f, 3.0f, -2.0f};
    SplittableRandom random = new SplittableRandom(7);
    TokenChooser.Choice choice = chooser.choose(batchOf(tied), 2 * tied.length, tied.length,
        random);
    assertEquals(1, choice.token());
    assertEquals(logSoftmax(tied)[1], choice.logprob(), 1e-6);
    assertEquals(0f, choice.samplingLogprob());
    assertEquals(new SplittableRandom(7).nextLong(), random.nextLong(), "no uniform was used");
  }

  @Test
  void rowStreamsDependOnSeedPromptAndSampleOnly() {
    long first = TokenChooser.rowRandom(5, 1, 2).nextLong();
    assertEquals(first, TokenChooser.rowRandom(5, 1, 2).nextLong());
    assertNotEquals(first, TokenChooser.rowRandom(5, 2, 1).nextLong());
    assertNotEquals(first, TokenChooser.rowRandom(6, 1, 2).nextLong());
    assertNotEquals(first, TokenChooser.rowRandom(5, 1, 3).nextLong());
  }

  /** Three copies of {@code logits} with the middle one scrambled, so only the offset works. */
  private static float[] batchOf(float[] logits) {
    int n = logits.length;
    float[] batch = new float[3 * n];
    for (int v = 0; v < n; v++) {
      batch[v] = -logits[v];
      batch[n + v] = logits[n - 1 - v];
      batch[2 * n + v] = logits[v];
    }
    return batch;
  }

  /** softmax(logits / T) kept on its most probable tokens until their mass reaches topP. */
  private static double[] nucleus(float[] logits, double temperature, double topP) {
    double[] weights = new double[logits.length];
    double total = 0;
    for (int v = 0; v < logits.length; v++) {
      weights[v] = Math.exp(logits[v] / temperature);
      total += weights[v];
    }
    List<Integer> byProbability = new ArrayList<>();
    for (int v = 0; v < logits.length; v++) {
      byProbability.add(v);
    }
    byProbability.sort(Comparator.comparingDouble(v -> -weights[v]));
    double[] kept = new double[logits.length];
    double mass = 0;
    for (int v : byProbability) {
      kept[v] = weights[v] / total;
      mass += kept[v];
      if (mass >= topP) {
        break;
      }
    }
    for (int v = 0; v < kept.length; v++) {
      kept[v] /= mass;
    }
    return kept;
  }

  /** The first token, in id order, whose cumulative probability exceeds {@code u}. */
  private static int inverseCdf(double[] probabilities, double u) {
    double cumulative = 0;
    for (int v = 0; v < probabilities.length; v++) {
      cumulative += probabilities[v];
      if (probabilities[v] > 0 && u < cumulative) {
        return v;
      }
    }
    throw new AssertionError("u = " + u + " beyond the distribution");
  }

  private static double[] logSoftmax(float[] logits) {
    double total = 0;
    for (float l : logits) {
      total += Math.exp(l);
    }
    double[] out = new double[logits.length];
    for (int v = 0; v < logits.length; v++) {
      out[v] = logits[v] - Math.log(total);
    }
    return out;
  }
}
