package org.reasonrl.algo;

/**
 * How each Expert Iteration round turns its sampled solutions into a fine-tune: how long it
 * trains, on what, and which samples count as solutions.
 *
 * @param epochs above 0: each round trains {@code ceil(epochs · examples / batchSize)} optimizer
 *     steps, so training is measured in epochs of the round's data as the paper does (a fixed
 *     step count means 150 epochs of a 40-solution D_1 and 3 of a 2000-solution one); 0: the
 *     optimization's fixed {@code steps} a round
 * @param withReferences add the sampled questions' reference solutions to each round's data,
 *     D_i ∪ SFT data (the RFT-style arm); duplicates of a kept sample are dropped
 * @param strictFilter keep only samples that state their answer on a {@code #### N} line — the
 *     format the policy is evaluated in — not those whose last number happens to be right
 */
public record EiFineTuning(double epochs, boolean withReferences, boolean strictFilter) {

  public EiFineTuning {
    if (!(epochs >= 0) || Double.isInfinite(epochs)) {
      throw new IllegalArgumentException("fineTuneEpochs must be >= 0 and finite (0 = the fixed"
          + " steps a round) but was " + epochs);
    }
  }

  /** Fixed steps a round, D_i only, strict filter. */
  public static EiFineTuning defaults() {
    return new EiFineTuning(0, false, true);
  }

  /** Whether a round's steps follow its data size rather than a fixed count. */
  public boolean inEpochs() {
    return epochs > 0;
  }

  /** The optimizer steps of a round that trains on {@code examples} in batches of {@code batch}. */
  public long steps(long fixedSteps, int examples, int batch) {
    return inEpochs() ? Math.max(1, (long) Math.ceil(epochs * examples / batch)) : fixedSteps;
  }
}
