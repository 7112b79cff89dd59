package org.reasonrl.rollout;

import java.util.Objects;

/**
 * How completions are drawn.
 *
 * @param temperature 0 for greedy decoding, else logits are divided by it
 * @param topP nucleus sampling: keep the smallest set of tokens whose probability reaches topP
 *     (1 keeps all)
 * @param maxNewTokens generation stops after this many tokens
 * @param batchSize rows decoded together (prompts × samples are cut into batches of this size)
 * @param stopCondition what else ends a row besides EOS and the budget
 *     ({@link StopCondition#ANSWER_LINE} by default, {@link StopCondition#NONE} for nothing)
 */
public record SamplingOptions(double temperature, double topP, int maxNewTokens, int batchSize,
    StopCondition stopCondition) {

  public SamplingOptions {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0 but was " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1 but was " + maxNewTokens);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
    Objects.requireNonNull(stopCondition, "stopCondition (StopCondition.NONE for none)");
  }

  /** Greedy decoding (maj@1), stopping after the answer line. */
  public static SamplingOptions greedy(int maxNewTokens, int batchSize) {
    return new SamplingOptions(0, 1, maxNewTokens, batchSize, StopCondition.ANSWER_LINE);
  }

  /** Sampling at a temperature, no nucleus cut, stopping after the answer line. */
  public static SamplingOptions sampling(double temperature, int maxNewTokens, int batchSize) {
    return new SamplingOptions(temperature, 1, maxNewTokens, batchSize, StopCondition.ANSWER_LINE);
  }

  /** The same options with another stop condition. */
  public SamplingOptions withStopCondition(StopCondition condition) {
    return new SamplingOptions(temperature, topP, maxNewTokens, batchSize, condition);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }
}
