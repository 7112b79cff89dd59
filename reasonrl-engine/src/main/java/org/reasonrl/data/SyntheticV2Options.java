package org.reasonrl.data;

/**
 * How the version-2 embedded benchmark ({@link SyntheticBenchmarkV2}) is generated: questions
 * drawn as in version 1, a fixed train set, and a validation split.
 *
 * @param questions how questions are drawn: seed, step mix, number ranges, token budget (which
 *     every valid solution text must fit, not only the reference); its {@code trainSize} is the
 *     fixed number N of training questions, its {@code testSize} the test split's size
 * @param validationSize questions in the held-out validation split (for early stopping)
 */
public record SyntheticV2Options(SyntheticOptions questions, int validationSize) {

  /**
   * Default N, the fixed train set. The paper fine-tunes on GSM8K's 7,473 questions and SFT
   * overfits them within a few epochs; here the default SFT budget is 3000 steps of 32 (96,000
   * examples), so 3000 questions (2700 after SFT carves its 300 validation problems) are ~35
   * epochs — and ~14 by step 1200, where version-1 SFT measured ~65% maj@1 and was still
   * rising — enough for maj@1 to plateau and for the over-training trade-off to show. Fewer
   * would starve the rare corners of the number ranges; many more would no longer be overfit.
   */
  public static final int DEFAULT_TRAIN_QUESTIONS = 3000;

  public SyntheticV2Options {
    if (questions == null) {
      throw new IllegalArgumentException("version-2 options need question options");
    }
    if (validationSize < 0) {
      throw new IllegalArgumentException("validationSize must be >= 0 but was " + validationSize);
    }
  }

  /**
   * Version 1's question defaults (seed 1234, steps 1-4, same ranges, 160 tokens), 3000 train
   * questions ({@link #DEFAULT_TRAIN_QUESTIONS}), 500 validation, 1000 test.
   */
  public static SyntheticV2Options defaults() {
    return new SyntheticV2Options(
        SyntheticOptions.defaults().withSizes(DEFAULT_TRAIN_QUESTIONS, 1000), 500);
  }

  public long seed() {
    return questions.seed();
  }

  public int trainSize() {
    return questions.trainSize();
  }

  public int testSize() {
    return questions.testSize();
  }

  public SyntheticV2Options withSizes(int train, int validation, int test) {
    return new SyntheticV2Options(questions.withSizes(train, test), validation);
  }

  public SyntheticV2Options withSeed(long seed) {
    return new SyntheticV2Options(questions.withSeed(seed), validationSize);
  }
}
