package org.reasonrl.reward;

import java.util.Arrays;
import java.util.List;
import org.reasonrl.text.Tokenizer;

/**
 * The reward schemes of PAPER.md by the names PPO's {@code reward} parameter takes:
 * {@code sparse} ({@link CorrectnessReward}), {@code dense} ({@link StepMatchReward}),
 * {@code orm-sparse} ({@link OrmFinalReward}) and {@code orm-dense} ({@link OrmStepReward}).
 * A job validates with {@link #parse} and {@link #checkOrm} before any work, then {@link
 * #create}s the function once its models are loaded.
 */
public enum RewardScheme {
  SPARSE("sparse", false),
  DENSE("dense", false),
  ORM_SPARSE("orm-sparse", true),
  ORM_DENSE("orm-dense", true);

  /** The name of the parameter that chooses a scheme, for error messages. */
  public static final String PARAMETER = "reward";

  private final String schemeName;
  private final boolean needsOrm;

  RewardScheme(String schemeName, boolean needsOrm) {
    this.schemeName = schemeName;
    this.needsOrm = needsOrm;
  }

  /** The name a user writes ({@code orm-dense}). */
  public String schemeName() {
    return schemeName;
  }

  /** Whether the scheme scores with an outcome reward model. */
  public boolean needsOrm() {
    return needsOrm;
  }

  /** Every scheme name, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(RewardScheme::schemeName).toList();
  }

  /** The scheme called {@code name}; an unknown name fails naming the parameter and the known. */
  public static RewardScheme parse(String name) {
    for (RewardScheme scheme : values()) {
      if (scheme.schemeName.equals(name)) {
        return scheme;
      }
    }
    throw new IllegalArgumentException(PARAMETER + " must be one of " + String.join(", ", names())
        + " but was '" + name + "'");
  }

  /** This scheme, or a failure when it needs an ORM and {@code ormGiven} is false. */
  public RewardScheme checkOrm(boolean ormGiven) {
    if (needsOrm && !ormGiven) {
      throw new IllegalArgumentException(PARAMETER + " '" + schemeName + "' scores with an"
          + " outcome reward model, but no ORM checkpoint was given");
    }
    return this;
  }

  /**
   * The reward function of this scheme.
   *
   * @param tokenizer the policy's (and ORM's) tokenizer: step boundaries and the pad token
   * @param orm the outcome reward model; may be {@code null} for {@code sparse} and {@code dense}
   * @param malformedPenalty the correctness reward's penalty for an unextractable answer (sparse
   *     and dense; the ORM schemes ignore it)
   * @param ormBatchSize sequences per ORM forward pass (the ORM schemes)
   */
  public RewardFunction create(Tokenizer tokenizer, OutcomeRewardModel orm,
      double malformedPenalty, int ormBatchSize) {
    checkOrm(orm != null);
    int padId = Math.max(tokenizer.padId(), 0);
    return switch (this) {
      case SPARSE -> new CorrectnessReward(malformedPenalty);
      case DENSE -> new StepMatchReward(new SolutionSteps(tokenizer),
          new CorrectnessReward(malformedPenalty));
      case ORM_SPARSE -> new OrmFinalReward(orm, ormBatchSize, padId);
      case ORM_DENSE -> new OrmStepReward(orm, new SolutionSteps(tokenizer), ormBatchSize, padId);
    };
  }

  /** {@link #parse}, then {@link #create}. */
  public static RewardFunction create(String name, Tokenizer tokenizer, OutcomeRewardModel orm,
      double malformedPenalty, int ormBatchSize) {
    return parse(name).create(tokenizer, orm, malformedPenalty, ormBatchSize);
  }
}
