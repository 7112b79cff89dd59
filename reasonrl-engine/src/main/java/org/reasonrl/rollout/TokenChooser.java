package org.reasonrl.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a row's next token from the logits of its last position, in Java: greedy argmax, or
 * softmax(logits / temperature) cut to the top-p nucleus and renormalised, then an inverse-CDF
 * draw with one uniform from the row's own random stream ({@link #rowRandom}).
 */
final class TokenChooser {

  /**
   * One chosen token.
   *
   * @param logprob the model's log-probability of it (temperature 1, no nucleus cut)
   * @param samplingLogprob its log-probability under the distribution it was drawn from (0 for
   *     greedy)
   */
  record Choice(int token, float logprob, float samplingLogprob) {}

  private final double temperature;
  private final double topP;
  private final boolean greedy;

  TokenChooser(SamplingOptions options) {
    this.temperature = options.temperature();
    this.topP = options.topP();
    this.greedy = options.isGreedy();
  }

  /**
   * The random stream of sample {@code sample} of prompt {@code prompt}: rows do not share
   * streams, so what a row draws depends neither on the batch size nor on the other prompts.
   */
  static SplittableRandom rowRandom(long seed, int prompt, int sample) {
    return new SplittableRandom(mix(seed, prompt, sample));
  }

  /**
   * The seed under which prompt {@code p} of a call draws what prompt {@code first + p} draws
   * under {@code seed} ({@link #mix} adds the prompt index times a constant before mixing).
   */
  static long seedForPromptsFrom(long seed, int first) {
    return seed + 0x9E3779B97F4A7C15L * first;
  }

  /** A well-mixed 64-bit seed for one row (SplitMix64 finaliser over the three inputs). */
  static long mix(long seed, int prompt, int sample) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + prompt) + 0xBF58476D1CE4E5B9L * (1 + sample);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Chooses from {@code logits[offset, offset + vocab)}, drawing from {@code random}. */
  Choice choose(float[] logits, int offset, int vocab, SplittableRandom random) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[offset + v]);
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      sum += Math.exp(logits[offset + v] - max);
    }
    double logNormaliser = max + Math.log(sum);
    int token;
    double samplingLogprob;
    if (greedy) {
      token = argMax(logits, offset, vocab);
      samplingLogprob = 0;
    } else {
      double[] probs = temperedProbabilities(logits, offset, vocab);
      token = draw(probs, random.nextDouble());
      samplingLogprob = Math.log(probs[token]);
    }
    return new Choice(token, (float) (logits[offset + token] - logNormaliser),
        (float) samplingLogprob);
  }

  /** The first index of the largest logit. */
  private static int argMax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (logits[offset + v] > logits[offset + best]) {
        best = v;
      }
    }
    return best;
  }

  /** softmax(logits / T), restricted to the nucleus of mass topP and renormalised. */
  double[] temperedProbabilities(float[] logits, int offset, int vocab) {
    double[] probs = new double[vocab];
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[offset + v] / temperature);
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      probs[v] = Math.exp(logits[offset + v] / temperature - max);
      sum += probs[v];
    }
    for (int v = 0; v < vocab; v++) {
      probs[v] /= sum;
    }
    if (topP < 1) {
      Integer[] order = new Integer[vocab];
      for (int v = 0; v < vocab; v++) {
        order[v] = v;
      }
      Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
      double kept = 0;
      int cut = vocab;
      for (int i = 0; i < vocab; i++) {
        kept += probs[order[i]];
        if (kept >= topP) {
          cut = i + 1;
          break;
        }
      }
      for (int i = cut; i < vocab; i++) {
        probs[order[i]] = 0;
      }
      for (int v = 0; v < vocab; v++) {
        probs[v] /= kept;
      }
    }
    return probs;
  }

  /** Inverse-CDF draw; the last positive-probability token absorbs rounding. */
  private static int draw(double[] probs, double u) {
    double cumulative = 0;
    int last = 0;
    for (int v = 0; v < probs.length; v++) {
      if (probs[v] > 0) {
        cumulative += probs[v];
        last = v;
        if (u < cumulative) {
          return v;
        }
      }
    }
    return last;
  }
}
