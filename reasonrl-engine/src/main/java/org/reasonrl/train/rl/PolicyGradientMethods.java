package org.reasonrl.train.rl;

import java.util.List;
import java.util.Locale;

/**
 * The methods by name, as a goal parameter selects them:
 * <table>
 *   <caption>methods</caption>
 *   <tr><th>name</th><th>advantage</th><th>aggregation</th></tr>
 *   <tr><td>{@code gae}</td><td>{@link Gae}(γ, λ), whitened (PPO)</td><td>token-mean</td></tr>
 *   <tr><td>{@code grpo}</td><td>{@link GroupNormalized#grpo}</td>
 *       <td>seq-mean-token-mean (as the GRPO paper)</td></tr>
 *   <tr><td>{@code dr-grpo}</td><td>{@link GroupNormalized#drGrpo}</td>
 *       <td>seq-sum-norm over the max response length</td></tr>
 *   <tr><td>{@code rloo}</td><td>{@link Rloo}</td><td>token-mean</td></tr>
 *   <tr><td>{@code reinforce++}</td><td>{@link ReinforcePlusPlus}(γ)</td>
 *       <td>token-mean</td></tr>
 * </table>
 */
public final class PolicyGradientMethods {

  /** The parameter that names a method, for error messages (the goal's {@code advantage}). */
  public static final String PARAMETER = "advantage";

  public static final List<String> NAMES = List.of("gae", "grpo", "dr-grpo", "rloo",
      "reinforce++");

  private PolicyGradientMethods() {}

  /**
   * @throws IllegalArgumentException naming {@link #PARAMETER} and the choices for an unknown
   *     name
   */
  public static PolicyGradientMethod named(String name, MethodOptions options) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    LossAggregation tokenMean = new LossAggregation.TokenMean();
    return switch (key) {
      case "gae" -> new PolicyGradientMethod(key,
          new Gae(options.gamma(), options.lambda(), true), tokenMean);
      case "grpo" -> new PolicyGradientMethod(key,
          GroupNormalized.grpo(options.groupEpsilon()),
          new LossAggregation.SequenceMeanTokenMean());
      case "dr-grpo" -> new PolicyGradientMethod(key, GroupNormalized.drGrpo(),
          new LossAggregation.SequenceSumNormalized(options.maxResponseLength()));
      case "rloo" -> new PolicyGradientMethod(key, new Rloo(), tokenMean);
      case "reinforce++" -> new PolicyGradientMethod(key,
          new ReinforcePlusPlus(options.gamma()), tokenMean);
      default -> throw new IllegalArgumentException("unknown advantage estimator '" + name
          + "' (parameter " + PARAMETER + "); choose one of " + String.join(", ", NAMES));
    };
  }
}
