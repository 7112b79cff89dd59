package org.reasonrl.algo;

import java.util.Arrays;
import org.reasonrl.reward.SolutionSteps;
import org.reasonrl.train.TokenizedExample;

/**
 * Return-Conditioned RL's view of a solution: its steps, a GOOD/BAD label per step, and the
 * training sequence with the label's token before each step.
 *
 * <p>A step is a line ({@link SolutionSteps}); a trailing EOS belongs to the last step, so a
 * solution that ends its answer line with a newline and then EOS still has its answer line as
 * the last step (the sampler stops there: it never writes a condition token before a lone EOS).
 */
public final class StepLabels {

  private StepLabels() {}

  /**
   * One past each step's last token in {@code tokens} (a sampled solution, EOS included when it
   * has one): the lines of the text before the EOS, the EOS joined to the last.
   */
  public static int[] stepEnds(int[] tokens, int eosId, SolutionSteps steps) {
    boolean endsWithEos = tokens.length > 0 && tokens[tokens.length - 1] == eosId;
    int[] text = endsWithEos ? Arrays.copyOf(tokens, tokens.length - 1) : tokens;
    if (text.length == 0) {
      return tokens.length == 0 ? new int[0] : new int[] {tokens.length};
    }
    int[] ends = steps.ends(text);
    ends[ends.length - 1] = tokens.length;
    return ends;
  }

  /** GOOD (true) where a step's value (continuation success rate or ORM score) reaches T. */
  public static boolean[] threshold(double[] stepValues, double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1] but was " + threshold);
    }
    boolean[] good = new boolean[stepValues.length];
    for (int i = 0; i < good.length; i++) {
      good[i] = stepValues[i] >= threshold;
    }
    return good;
  }

  /**
   * The training example of a labelled solution: {@code [GOOD]} or {@code [BAD]} before each
   * step, read but not learned (only the solution's own tokens carry loss).
   */
  public static TokenizedExample conditioned(int[] prompt, int[] tokens, int[] stepEnds,
      boolean[] good, int goodToken, int badToken) {
    if (stepEnds.length != good.length || stepEnds.length == 0
        || stepEnds[stepEnds.length - 1] != tokens.length) {
      throw new IllegalArgumentException(good.length + " labels for step ends "
          + Arrays.toString(stepEnds) + " of a " + tokens.length + "-token solution");
    }
    int[] completion = new int[tokens.length + stepEnds.length];
    int[] unscored = new int[stepEnds.length];
    int start = 0;
    int out = 0;
    for (int s = 0; s < stepEnds.length; s++) {
      unscored[s] = out;
      completion[out++] = good[s] ? goodToken : badToken;
      System.arraycopy(tokens, start, completion, out, stepEnds[s] - start);
      out += stepEnds[s] - start;
      start = stepEnds[s];
    }
    return new TokenizedExample(prompt, completion, unscored);
  }
}
