package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.ScalarHead;

/**
 * The model an on-policy update trains: the policy and, for PPO, a critic. The critic is a
 * {@link ScalarHead} either on the policy's own final hidden states ({@link Critic#SHARED}: one
 * trunk, one forward — trlx's default) or on a separate copy of the starting model
 * ({@link Critic#SEPARATE}: a second trunk, as OpenRLHF and veRL run it, so value regression
 * cannot disturb the policy's features).
 *
 * @param policy the policy being trained
 * @param valueHead the critic's head; {@code null} without a critic
 * @param criticTrunk the separate critic's trunk; {@code null} when shared or without a critic
 */
public record ActorCritic(CausalLm policy, ScalarHead valueHead, CausalLm criticTrunk) {

  /** Where the critic's head reads its hidden states. */
  public enum Critic {
    NONE, SHARED, SEPARATE;

    /** The parameter that chooses it, for error messages. */
    public static final String PARAMETER = "critic";

    /** {@code shared} or {@code separate} (any case). */
    public static Critic parse(String name) {
      String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
      if (key.equals("SHARED") || key.equals("SEPARATE")) {
        return valueOf(key);
      }
      throw new IllegalArgumentException(PARAMETER + " must be shared or separate but was '"
          + name + "'");
    }
  }

  public ActorCritic {
    if (policy == null) {
      throw new IllegalArgumentException("an actor-critic needs a policy");
    }
    if (criticTrunk != null && valueHead == null) {
      throw new IllegalArgumentException("a separate critic trunk needs a value head");
    }
  }

  /** The policy alone (critic-free methods). */
  public static ActorCritic policyOnly(CausalLm policy) {
    return new ActorCritic(policy, null, null);
  }

  public boolean hasCritic() {
    return valueHead != null;
  }

  /**
   * The logits and, with a critic, the values of a teacher-forced batch.
   *
   * @param logits (B,T,V)
   * @param values (B,T), the value before each next token; {@code null} without a critic
   */
  public record Output(NDArray logits, NDArray values) {}

  public Output forward(ParameterStore ps, NDArray inputs, NDArray attention, boolean training) {
    var out = policy.forward(ps, inputs, attention, null, training);
    if (valueHead == null) {
      return new Output(out.logits(), null);
    }
    NDArray hidden = criticTrunk == null ? out.hidden()
        : criticTrunk.forward(ps, inputs, attention, null, training, false).hidden();
    return new Output(out.logits(), valueHead.forward(ps, hidden, training));
  }

  /**
   * Every parameter, named {@code policy.*}, {@code value_head.*} and {@code critic.*}: what the
   * optimizer updates (those requiring gradients) and a checkpoint holds.
   */
  public ParameterList parameters() {
    Map<String, Parameter> all = new LinkedHashMap<>();
    policy.namedParameters().forEach((name, p) -> all.put("policy." + name, p));
    if (valueHead != null) {
      valueHead.namedParameters().forEach((name, p) -> all.put("value_head." + name, p));
    }
    if (criticTrunk != null) {
      criticTrunk.namedParameters().forEach((name, p) -> all.put("critic." + name, p));
    }
    return new ParameterList(all);
  }
}
