package org.reasonrl.data;

import java.util.List;

/**
 * How the embedded benchmark is generated. The defaults are calibrated for a ~1M-parameter model
 * on 2 CPU cores so that SFT plateaus well below 100% in ~10 minutes and sampling still finds
 * correct solutions greedy decoding misses: with answers under 1000 a converged SFT model
 * solved 95% and left nothing to learn; with operands up to 50, factors up to 9 and answers up
 * to 9999 (multi-digit products with carries) the same 1200 steps reach ~65% held-out maj@1
 * and ~77% pass@4.
 *
 * @param seed everything generated follows from it
 * @param trainSize number of training problems
 * @param testSize number of test problems (no question is shared with train)
 * @param stepWeights relative weights of 1, 2, 3, ... arithmetic steps (the difficulty mix)
 * @param startMin smallest starting quantity
 * @param startMax largest starting quantity
 * @param addMax largest amount added or taken away in one step
 * @param factorMax largest multiplier ("3 times as many")
 * @param divisorMax largest divisor ("a quarter as many"); divisions are always exact
 * @param groupMax largest group count and group size in an opening "N bags of M" product
 * @param answerMax no intermediate or final value exceeds this
 * @param allowNegative whether a subtraction may go below zero
 * @param moneyFraction share of problems about money ({@code $12}) instead of objects
 * @param maxTokens a problem whose zero-shot prompt plus solution (with BOS and EOS) is longer
 *     than this many tokens is drawn again, so sequences fit the model's context
 */
public record SyntheticOptions(
    long seed,
    int trainSize,
    int testSize,
    List<Double> stepWeights,
    int startMin,
    int startMax,
    int addMax,
    int factorMax,
    int divisorMax,
    int groupMax,
    int answerMax,
    boolean allowNegative,
    double moneyFraction,
    int maxTokens) {

  public SyntheticOptions {
    stepWeights = List.copyOf(stepWeights);
    if (stepWeights.isEmpty() || stepWeights.stream().anyMatch(w -> w < 0)
        || stepWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new IllegalArgumentException(
          "stepWeights must be non-negative with a positive sum: " + stepWeights);
    }
    require(trainSize >= 0 && testSize >= 0, "trainSize and testSize must be >= 0");
    require(startMin >= 1 && startMax >= startMin, "need 1 <= startMin <= startMax");
    require(addMax >= 2, "addMax must be >= 2");
    require(factorMax >= 2, "factorMax must be >= 2");
    require(divisorMax >= 2, "divisorMax must be >= 2");
    require(groupMax >= 2, "groupMax must be >= 2");
    require(answerMax >= startMax + addMax, "answerMax must be >= startMax + addMax");
    require(moneyFraction >= 0 && moneyFraction <= 1, "moneyFraction must be in [0, 1]");
    require(maxTokens >= 64, "maxTokens must be >= 64");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Seed 1234, 20000 train / 1000 test, steps 1-4 weighted 0.25/0.30/0.25/0.20, start 2-50,
   * add/subtract up to 50, multiply and divide by 2-9, opening products up to 12 x 12, answers
   * at most 9999, no negatives, 20% money problems, at most 160 tokens a problem.
   */
  public static SyntheticOptions defaults() {
    return new SyntheticOptions(
        1234, 20000, 1000, List.of(0.25, 0.30, 0.25, 0.20), 2, 50, 50, 9, 9, 12, 9999, false, 0.2, 160);
  }

  public int maxSteps() {
    return stepWeights.size();
  }

  public SyntheticOptions withSizes(int train, int test) {
    return new SyntheticOptions(seed, train, test, stepWeights, startMin, startMax, addMax,
        factorMax, divisorMax, groupMax, answerMax, allowNegative, moneyFraction, maxTokens);
  }

  public SyntheticOptions withSeed(long newSeed) {
    return new SyntheticOptions(newSeed, trainSize, testSize, stepWeights, startMin, startMax,
        addMax, factorMax, divisorMax, groupMax, answerMax, allowNegative, moneyFraction, maxTokens);
  }
}
