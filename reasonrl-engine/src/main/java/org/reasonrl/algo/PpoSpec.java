package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.model.LoraConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * One {@code reasonrl:ppo} run: on-policy RL from a checkpoint with one of the policy-gradient
 * methods ({@code advantage}: {@code gae} is PPO with a critic; {@code grpo}, {@code dr-grpo},
 * {@code rloo}, {@code reinforce++} are critic-free) and one of the reward schemes
 * ({@code reward}: {@code sparse}, {@code dense}, {@code orm-sparse}, {@code orm-dense}).
 *
 * @param checkpoint the starting policy, also the frozen reference of the KL term
 * @param dataset training questions with gold answers (split {@code train})
 * @param maxQuestions draw each iteration's questions from the first N only (0 = all)
 * @param output the run directory; the final policy is published at {@code <output>/model}
 * @param advantage the method, by {@code PolicyGradientMethods}' name
 * @param reward the reward scheme, by {@code RewardScheme}'s name
 * @param ormCheckpoint the outcome reward model of the ORM schemes; {@code null} otherwise
 * @param malformedPenalty subtracted by the sparse and dense schemes from the reward of an
 *     answer that cannot be extracted (>= 0)
 * @param iterations rollout batches (sample → score → update) in total
 * @param questionsPerIteration questions sampled per iteration (a seeded walk over the
 *     training questions, one epoch after another)
 * @param rollout sampling: K responses per question (K >= 2 for group methods), at the
 *     temperature the ratio is taken at, top-p 1 (see {@code org.reasonrl.train.rl})
 * @param loss the clipped objective and its companions
 * @param kl the KL term to the reference
 * @param optimization AdamW and its schedule, read per iteration: {@code steps} is set to
 *     {@code iterations}, {@code warmupSteps} counts iterations, {@code batchSize} is the
 *     minibatch (sequences per optimizer step), {@code microBatchSize} the sequences per
 *     forward; every iteration is logged and checkpointed
 * @param evalEvery evaluate the policy before iteration 1 and after every this many iterations
 *     (and at the end): accuracy against rollouts used
 * @param evalDataset the evaluation problems (split {@code test})
 * @param evalProblems evaluate on the first N problems (0 = all)
 * @param eval evaluation sampling: maj@1 greedy, maj@K and pass@K from K samples
 * @param lora train LoRA adapters on the frozen policy instead of all its weights; the
 *     reference is then the policy with its adapters bypassed (no second copy). Dropout must be
 *     0 (the old log-probs come from a forward without it). {@code null}: full fine-tuning
 * @param seed question order, sampling, minibatch shuffles, critic initialisation
 */
public record PpoSpec(Path checkpoint, DatasetSpec dataset, int maxQuestions, Path output,
    String advantage, String reward, Path ormCheckpoint, double malformedPenalty,
    int iterations, int questionsPerIteration, RolloutSpec rollout, PolicyLoss loss,
    KlPenalty kl, Optimization optimization, int evalEvery, DatasetSpec evalDataset,
    int evalProblems, RolloutSpec eval, LoraConfig lora, long seed) {

  /**
   * The objective. Every value is checked before any work ({@link PolicyOptimization#validate}).
   *
   * @param epochs passes over each rollout batch (PAPER.md: 4)
   * @param clipLow ε_low of the ratio clip (PAPER.md: 0.2)
   * @param clipHigh ε_high (DAPO's clip-higher: above {@code clipLow}; else equal)
   * @param aggregation the loss aggregation ({@code token-mean}, {@code seq-mean-token-mean},
   *     {@code seq-sum-norm}); empty for the method's own
   * @param critic PPO's value head: {@code shared} (on the policy's trunk) or {@code separate}
   *     (on a copy of the starting model); ignored by critic-free methods
   * @param valueClip the value-loss clip (PAPER.md: 0.2)
   * @param valueCoefficient weight of the value loss
   * @param entropyCoefficient weight of the entropy bonus (0 = off)
   * @param gamma discount γ (PAPER.md: 1)
   * @param lambda GAE λ (PAPER.md: 0.95)
   * @param dynamicSampling drop groups whose K rewards are all equal (DAPO; group methods)
   */
  public record PolicyLoss(int epochs, double clipLow, double clipHigh, String aggregation,
      String critic, double valueClip, double valueCoefficient, double entropyCoefficient,
      double gamma, double lambda, boolean dynamicSampling) {

    public PolicyLoss {
      aggregation = aggregation == null ? "" : aggregation.trim();
      critic = critic == null || critic.isBlank() ? "shared" : critic.trim();
    }

    /** PAPER.md's trlx-like values: 4 epochs, clip 0.2, value clip 0.2, γ 1, λ 0.95. */
    public static PolicyLoss defaults() {
      return new PolicyLoss(4, 0.2, 0.2, "", "shared", 0.2, 0.5, 0.0, 1.0, 0.95, false);
    }
  }

  /**
   * The KL term to the frozen reference.
   *
   * @param estimator {@code k1}, {@code k2} or {@code k3}
   * @param coefficient β (PAPER.md: ≈ 0.05); 0 turns the term off
   * @param placement {@code reward}: {@code r_t − β·kl_t} on every token (PPO, trlx);
   *     {@code loss}: {@code β·kl} added to the loss (GRPO)
   * @param target the adaptive controller's per-sequence KL target; 0 keeps β fixed
   * @param horizon the adaptive controller's horizon in samples
   * @param maxKl stop the run (keeping the last checkpoint) when a batch's mean per-token KL to
   *     the reference exceeds this; 0 = never
   */
  public record KlPenalty(String estimator, double coefficient, String placement, double target,
      double horizon, double maxKl) {

    public KlPenalty {
      estimator = estimator == null || estimator.isBlank() ? "k1" : estimator.trim();
      placement = placement == null || placement.isBlank() ? "reward" : placement.trim();
    }

    /** k1 in the reward at a fixed β = 0.05, no stop. */
    public static KlPenalty defaults() {
      return new KlPenalty("k1", 0.05, "reward", 0, 10_000, 0);
    }

    public boolean inLoss() {
      return placement.equals("loss");
    }
  }

  public PpoSpec {
    if (checkpoint == null) {
      throw new IllegalArgumentException("ppo needs a starting checkpoint");
    }
    if (output == null) {
      throw new IllegalArgumentException("ppo needs an output directory");
    }
    dataset = dataset == null ? DatasetSpec.synthetic("train") : dataset;
    evalDataset = evalDataset == null ? dataset.withSplit("test") : evalDataset;
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1 but was " + iterations);
    }
    if (questionsPerIteration < 1) {
      throw new IllegalArgumentException("questionsPerIteration must be >= 1 but was "
          + questionsPerIteration);
    }
    if (maxQuestions < 0 || evalProblems < 0 || evalEvery < 0) {
      throw new IllegalArgumentException("maxQuestions, evalProblems and evalEvery must be >= 0"
          + " (0 = all / only at the end)");
    }
    if (rollout == null || eval == null || loss == null || kl == null || optimization == null) {
      throw new IllegalArgumentException("ppo needs rollout, eval, loss, kl and optimization"
          + " settings");
    }
    // Logged and checkpointed every iteration: those two fields do not apply.
    optimization = new Optimization(iterations, optimization.batchSize(),
        optimization.microBatchSize(), optimization.learningRate(),
        optimization.warmupSteps(), optimization.weightDecay(), optimization.maxGradNorm(), 1, 1,
        optimization.adamBeta1(), optimization.adamBeta2());
  }

  /**
   * Defaults for the embedded pipeline: sparse-reward PPO (GAE, shared critic) from the given
   * checkpoint, 40 iterations of 64 questions × K = 4 at T = 0.7 (10,240 rollouts), 4 epochs
   * of minibatches of 64, constant learning rate 1e-5, k1 KL in the reward at β = 0.05;
   * evaluated every 10 iterations on 1000 test problems with K = 4.
   */
  public static PpoSpec defaults(Path checkpoint, Path output) {
    return new PpoSpec(checkpoint, DatasetSpec.synthetic("train"), 0, output, "gae", "sparse",
        null, 0, 40, 64, RolloutSpec.of(4, 0.7, 120, 128), PolicyLoss.defaults(),
        KlPenalty.defaults(), new Optimization(40, 64, 32, 1e-5, 0, 0.0, 1.0, 1, 1), 10,
        DatasetSpec.synthetic("test"), 1000, RolloutSpec.of(4, 0.7, 120, 128), null, 42);
  }
}
