package org.reasonrl.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.algo.PolicyOptimization;
import org.reasonrl.algo.PpoSpec;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.model.LoraConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.RuntimeInfo;
import org.reasonrl.train.Optimization;

/**
 * Policy-gradient RL from {@code checkpoint} on the train split of {@code dataset}: per
 * iteration, sample K responses for {@code questionsPerIteration} questions, score them with the
 * {@code reward} scheme, turn rewards into advantages with the {@code advantage} method
 * ({@code gae}: PPO with a critic; {@code grpo}, {@code dr-grpo}, {@code rloo},
 * {@code reinforce++}: critic-free) and run {@code epochs} passes of clipped-surrogate minibatch
 * updates, with a KL term to the frozen starting policy. Writes {@code metrics.jsonl} (one record
 * per iteration), {@code curve.jsonl} (accuracy against rollouts used), {@code result.json} and
 * the final policy in {@code <output>/model}. Every iteration ends in a checkpoint: rerunning with
 * the same output resumes.
 *
 * <p>Every parameter left unset takes {@code PpoSpec.defaults} (given in parentheses below). The
 * training parameters apply per iteration: {@code steps} does not apply (the optimizer schedule
 * has one step per iteration, {@code iterations}), nor do {@code logEvery} and
 * {@code checkpointEvery} (every iteration is logged and checkpointed), and a value set for them
 * is ignored with a warning; {@code warmupSteps} counts iterations and the learning rate is
 * constant after it; {@code batchSize} is the minibatch in sequences and {@code microBatchSize}
 * the sequences per forward pass. The sampling parameters are the rollouts' ({@code temperature}
 * is also the one the ratio, the KL and the entropy are taken at); the evaluation samples with
 * {@code evalK} and {@code evalTemperature} at the rollouts' budget and batch.
 */
@Mojo(name = "ppo", threadSafe = true, requiresProject = false)
public class PpoMojo extends AbstractOnPolicyMojo {

  /**
   * The method: {@code gae} (PPO, default), {@code grpo}, {@code dr-grpo}, {@code rloo} or
   * {@code reinforce++}.
   */
  @Parameter(property = "reasonrl.advantage")
  private String advantage;

  /** {@code sparse} (default), {@code dense}, {@code orm-sparse} or {@code orm-dense}. */
  @Parameter(property = "reasonrl.reward")
  private String reward;

  /** Subtracted by the sparse and dense rewards when no answer can be extracted (>= 0; 0). */
  @Parameter(property = "reasonrl.malformedPenalty")
  private Double malformedPenalty;

  /** Rollout batches (sample, score, update) in total (40). */
  @Parameter(property = "reasonrl.iterations")
  private Integer iterations;

  /** Training questions sampled per iteration, K responses each (64). */
  @Parameter(property = "reasonrl.questionsPerIteration")
  private Integer questionsPerIteration;

  /** Passes over each iteration's rollouts (4). */
  @Parameter(property = "reasonrl.epochs")
  private Integer epochs;

  /** ε of the ratio clip, low and high (0.2). */
  @Parameter(property = "reasonrl.clip")
  private Double clip;

  /** ε_high of the ratio clip, above {@code clip} for DAPO's clip-higher (default: clip). */
  @Parameter(property = "reasonrl.clipHigh")
  private Double clipHigh;

  /**
   * {@code token-mean}, {@code seq-mean-token-mean} or {@code seq-sum-norm}. Default: the
   * method's own (seq-mean-token-mean for grpo, seq-sum-norm for dr-grpo, else token-mean).
   */
  @Parameter(property = "reasonrl.lossAggregation")
  private String lossAggregation;

  /**
   * PPO's value head: {@code shared} (on the policy's trunk, default) or {@code separate} (on a
   * copy of the starting model). Ignored by the critic-free methods.
   */
  @Parameter(property = "reasonrl.critic")
  private String critic;

  /** The value-loss clip (0.2). */
  @Parameter(property = "reasonrl.valueClip")
  private Double valueClip;

  /** Weight of the value loss (0.5). */
  @Parameter(property = "reasonrl.valueCoefficient")
  private Double valueCoefficient;

  /** Weight of the entropy bonus (0 = off, default). */
  @Parameter(property = "reasonrl.entropyCoefficient")
  private Double entropyCoefficient;

  /** Discount γ (1). */
  @Parameter(property = "reasonrl.gamma")
  private Double gamma;

  /** GAE λ (0.95). */
  @Parameter(property = "reasonrl.lambda")
  private Double lambda;

  /** Train only on groups whose K rewards differ (DAPO; group methods; default false). */
  @Parameter(property = "reasonrl.dynamicSampling")
  private Boolean dynamicSampling;

  /** The KL estimator: {@code k1} (default), {@code k2} or {@code k3}. */
  @Parameter(property = "reasonrl.klEstimator")
  private String klEstimator;

  /** β, the KL term's weight (0.05); 0 turns it off. */
  @Parameter(property = "reasonrl.klCoefficient")
  private Double klCoefficient;

  /**
   * {@code reward} (default): β·KL subtracted from every token's reward (PPO, trlx);
   * {@code loss}: β·KL added to the loss (GRPO).
   */
  @Parameter(property = "reasonrl.klPlacement")
  private String klPlacement;

  /**
   * The adaptive β controller's per-sequence KL target (KL in the reward only); 0 keeps β fixed
   * (default).
   */
  @Parameter(property = "reasonrl.klTarget")
  private Double klTarget;

  /** The adaptive β controller's horizon, in samples (10000). */
  @Parameter(property = "reasonrl.klHorizon")
  private Double klHorizon;

  /**
   * Stop (keeping the last checkpoint) when an iteration's mean per-token KL to the reference
   * exceeds this; 0 = never (default).
   */
  @Parameter(property = "reasonrl.maxKl")
  private Double maxKl;

  /**
   * Evaluate before iteration 1 and after every this many iterations (10); the end is always
   * evaluated, so 0 evaluates only the final policy.
   */
  @Parameter(property = "reasonrl.evalEvery")
  private Integer evalEvery;

  /**
   * Train LoRA adapters of this rank on the frozen policy instead of all its weights (0: full
   * fine-tuning, default); the KL reference is then the policy with its adapters bypassed.
   */
  @Parameter(property = "reasonrl.loraRank")
  private Integer loraRank;

  /** LoRA's alpha: adapter outputs are scaled by alpha / rank (2 × rank). */
  @Parameter(property = "reasonrl.loraAlpha")
  private Double loraAlpha;

  /** Projections that get adapters, comma-separated (q_proj,v_proj). */
  @Parameter(property = "reasonrl.loraTargets")
  private String loraTargets;

  PpoSpec spec() {
    PpoSpec d = PpoSpec.defaults(checkpoint(), output());
    RolloutSpec rollout = sampling(d.rollout());
    RolloutSpec eval = evalSampling(d.eval(), rollout);
    PpoSpec.PolicyLoss l = d.loss();
    double clipLow = orDefault(clip, l.clipLow());
    PpoSpec.PolicyLoss loss = new PpoSpec.PolicyLoss(orDefault(epochs, l.epochs()), clipLow,
        orDefault(clipHigh, clip != null ? clip : l.clipHigh()),
        orDefault(lossAggregation, l.aggregation()), orDefault(critic, l.critic()),
        orDefault(valueClip, l.valueClip()), orDefault(valueCoefficient, l.valueCoefficient()),
        orDefault(entropyCoefficient, l.entropyCoefficient()), orDefault(gamma, l.gamma()),
        orDefault(lambda, l.lambda()), orDefault(dynamicSampling, l.dynamicSampling()));
    PpoSpec.KlPenalty k = d.kl();
    PpoSpec.KlPenalty kl = new PpoSpec.KlPenalty(orDefault(klEstimator, k.estimator()),
        orDefault(klCoefficient, k.coefficient()), orDefault(klPlacement, k.placement()),
        orDefault(klTarget, k.target()), orDefault(klHorizon, k.horizon()),
        orDefault(maxKl, k.maxKl()));
    int n = orDefault(iterations, d.iterations());
    // One schedule step per iteration; counting from n, not the default's, keeps a warm-up set
    // here from being lowered to the default iterations.
    Optimization optimization = optimization(d.optimization().withSteps(n));
    DatasetSpec train = dataset("train");
    return new PpoSpec(checkpoint(), train, maxQuestions(d.maxQuestions()), output(),
        orDefault(advantage, d.advantage()), orDefault(reward, d.reward()), ormCheckpoint(),
        orDefault(malformedPenalty, d.malformedPenalty()), n,
        orDefault(questionsPerIteration, d.questionsPerIteration()), rollout, loss, kl,
        optimization, orDefault(evalEvery, d.evalEvery()),
        evalDataset(train), evalProblems(d.evalProblems()), eval, lora(), seed());
  }

  /** The LoRA option: none unless {@code loraRank} > 0; dropout 0 (ppo requires it). */
  private LoraConfig lora() {
    if (loraRank == null || loraRank == 0) {
      return null;
    }
    List<String> targets = loraTargets == null ? LoraConfig.defaults().targetModules()
        : Arrays.stream(loraTargets.split(",")).map(String::trim).filter(t -> !t.isEmpty())
            .toList();
    return new LoraConfig(loraRank, orDefault(loraAlpha, 2.0 * loraRank), 0, targets);
  }

  /**
   * The training parameters set to a value this goal does not use: {@code steps} (it is
   * {@code iterations}), {@code logEvery} and {@code checkpointEvery} (every iteration).
   */
  List<String> inapplicableParameters(PpoSpec spec) {
    Optimization used = spec.optimization();
    Optimization requested = optimization(used);
    List<String> names = new ArrayList<>();
    if (requested.steps() != used.steps()) {
      names.add("steps");
    }
    if (requested.logEvery() != used.logEvery()) {
      names.add("logEvery");
    }
    if (requested.checkpointEvery() != used.checkpointEvery()) {
      names.add("checkpointEvery");
    }
    return names;
  }

  @Override
  protected void run(RuntimeInfo runtime) {
    PpoSpec spec = spec();
    List<String> inapplicable = inapplicableParameters(spec);
    if (!inapplicable.isEmpty()) {
      getLog().warn("ppo ignores " + String.join(", ", inapplicable) + ": it takes one optimizer"
          + " schedule step per iteration (set iterations) and logs and checkpoints every one");
    }
    PolicyOptimization.Result result = new PolicyOptimization(spec).run(logSink());
    getLog().info((result.stopped() ? "Stopped (KL above maxKl) after " : "Trained ")
        + result.iterations() + " iterations on " + result.rollouts() + " rollouts; policy: "
        + result.finalModel());
  }
}
