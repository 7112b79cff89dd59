package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.Evaluator;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.Lora;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.reward.RewardFunction;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.run.Progress;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.AdamW;
import org.reasonrl.train.IterationMetrics;
import org.reasonrl.train.IterationOptions;
import org.reasonrl.train.IterationResult;
import org.reasonrl.train.LearningRateSchedule;
import org.reasonrl.train.LoopControl;
import org.reasonrl.train.RolloutIterations;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.Statistics;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.rl.ActorCritic;
import org.reasonrl.train.rl.BufferAssembly;
import org.reasonrl.train.rl.ClippedPolicyLoss;
import org.reasonrl.train.rl.ClippedValueLoss;
import org.reasonrl.train.rl.KlController;
import org.reasonrl.train.rl.PolicyGradientMethod;
import org.reasonrl.train.rl.PolicyObjective;
import org.reasonrl.train.rl.PolicySample;
import org.reasonrl.train.rl.PolicyScoring;
import org.reasonrl.train.rl.PolicyUpdatePlan;
import org.reasonrl.train.rl.ReferencePolicy;

/**
 * The {@code reasonrl:ppo} job: PPO, GRPO, Dr. GRPO, RLOO and REINFORCE++ on one core. Each
 * iteration n samples K responses for the iteration's questions from the current policy, scores
 * them with the reward scheme, recomputes their old log-probs (and values) with the training
 * forward beside the frozen reference's, turns rewards (minus the KL penalty, when it is in the
 * reward) into advantages with the method's estimator, and then runs {@code epochs} passes of
 * clipped-surrogate minibatch updates over that buffer ({@link RolloutIterations}: the buffer is
 * persisted before the first update and every iteration ends in a checkpoint, so a killed run
 * resumes to the weights an uninterrupted one reaches).
 *
 * <p>The methods differ only in their {@link PolicyGradientMethod} (estimator and loss
 * aggregation); PPO ({@code gae}) adds a critic. The reference is a second copy of the starting
 * checkpoint, never updated. The policy is evaluated before iteration 1, every
 * {@code evalEvery} iterations and at the end, so {@code curve.jsonl} gives accuracy against the
 * rollouts used (the sample complexity the study compares with EI's).
 */
public final class PolicyOptimization implements Job<PolicyOptimization.Result> {

  public static final String CURVE_FILE = "curve.jsonl";
  public static final String FINAL_EVAL_FILE = "final-eval.json";
  static final String KL_STATE_FILE = "kl-controller.json";
  private static final long QUESTION_SALT = 0x9e3779b9L;
  private static final int BOOTSTRAP_RESAMPLES = 200;

  private final PpoSpec spec;
  private final RewardFunction customReward;
  private PpoInputs inputs;

  public PolicyOptimization(PpoSpec spec) {
    this(spec, null);
  }

  /**
   * A run with a reward function of the caller's (plain-Java use: e.g. a toy task); the spec's
   * {@code reward} is then only its name, recorded in the run's identity.
   */
  public PolicyOptimization(PpoSpec spec, RewardFunction customReward) {
    this.spec = spec;
    this.customReward = customReward;
  }

  /**
   * Accuracy of the policy after {@code iteration} iterations, with the rollouts used so far.
   */
  public record CurvePoint(long iteration, long rollouts, double maj1, double majAtK,
      double passAtK, int k) {}

  /**
   * What a run produced.
   *
   * @param iterations completed iterations
   * @param rollouts responses sampled for training in total
   * @param stopped the run was stopped early (KL above {@code maxKl})
   * @param curve accuracy against rollouts, from before iteration 1 to the end
   * @param finalModel the published {@code <output>/model}
   */
  public record Result(long iterations, long rollouts, boolean stopped, List<CurvePoint> curve,
      Path finalModel) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("ppo", spec.output(), spec, spec.seed(), Result.class);
  }

  @Override
  public void validate() {
    inputs = PpoInputs.check(spec, customReward != null);
  }

  @Override
  public Result run(JobContext context) {
    try (Tokenizer tokenizer = inputs.policy().openTokenizer();
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm policy = Checkpoint.load(inputs.policy().dir(), manager);
      ReferencePolicy reference;
      if (spec.lora() != null) {
        Lora.apply(policy, spec.lora(), manager, SeedStream.of(spec.seed(), "ppo").derive("lora"));
        reference = ReferencePolicy.baseOf(policy);
      } else {
        reference = ReferencePolicy.copy(Checkpoint.load(inputs.policy().dir(), manager));
      }
      ActorCritic model = actorCritic(policy, manager);
      RewardFunction reward = customReward;
      if (reward == null) {
        OutcomeRewardModel orm = inputs.scheme().needsOrm()
            ? OutcomeRewardModel.load(spec.ormCheckpoint(), manager) : null;
        reward = inputs.scheme().create(tokenizer, orm, spec.malformedPenalty(),
            spec.rollout().batchSize());
      }
      return new Run(context, model, reference, reward, tokenizer).run(manager);
    }
  }

  private ActorCritic actorCritic(CausalLm policy, NDManager manager) {
    SeedStream seeds = SeedStream.of(spec.seed(), "ppo");
    int hidden = policy.config().hiddenSize();
    return switch (inputs.critic()) {
      case NONE -> ActorCritic.policyOnly(policy);
      case SHARED -> new ActorCritic(policy,
          ScalarHead.create(hidden, manager, seeds.derive("value_head")), null);
      case SEPARATE -> new ActorCritic(policy,
          ScalarHead.create(hidden, manager, seeds.derive("value_head")),
          Checkpoint.load(inputs.policy().dir(), manager));
    };
  }

  /** One run in the open run directory. */
  private final class Run {
    private final JobContext context;
    private final ActorCritic model;
    private final ReferencePolicy reference;
    private final RewardFunction reward;
    private final Tokenizer tokenizer;
    private final int padId;
    private final PromptFormat format = PromptFormat.zeroShot();
    private final PolicyCheckpoints checkpoints;
    private final ShuffledOrder questionOrder;
    private final int rolloutsPerIteration;
    private final BufferAssembly assembly;

    Run(JobContext context, ActorCritic model, ReferencePolicy reference, RewardFunction reward,
        Tokenizer tokenizer) {
      this.context = context;
      this.model = model;
      this.reference = reference;
      this.reward = reward;
      this.tokenizer = tokenizer;
      this.padId = Math.max(tokenizer.padId(), 0);
      this.checkpoints = new PolicyCheckpoints(model, inputs.policy().tokenizerFile(),
          initialController());
      this.questionOrder = new ShuffledOrder(ShuffledOrder.mix(spec.seed(), QUESTION_SALT),
          inputs.questions().size());
      this.rolloutsPerIteration = spec.questionsPerIteration() * spec.rollout().k();
      this.assembly = new BufferAssembly(inputs.method(), inputs.klEstimator(),
          !spec.kl().inLoss(), spec.loss().dynamicSampling());
    }

    Result run(NDManager manager) {
      PpoSpec.PolicyLoss loss = spec.loss();
      PolicyGradientMethod method = inputs.method();
      context.log().accept(String.format(Locale.ROOT, "%s (%s reward%s) from %s: %d iterations"
              + " of %d questions × K=%d at T=%s, %d epochs, KL %s β=%s in the %s",
          method.name(), spec.reward(), method.usesCritic() ? ", " + inputs.critic()
              .name().toLowerCase(Locale.ROOT) + " critic" : "", spec.checkpoint(),
          spec.iterations(), spec.questionsPerIteration(), spec.rollout().k(),
          spec.rollout().temperature(), loss.epochs(), inputs.klEstimator(),
          spec.kl().coefficient(), spec.kl().placement()));
      ClippedValueLoss valueLoss = model.hasCritic()
          ? new ClippedValueLoss(loss.valueClip(), method.aggregation()) : null;
      boolean klInLoss = spec.kl().inLoss() && spec.kl().coefficient() > 0;
      PolicyObjective objective = new PolicyObjective(model, spec.rollout().temperature(),
          new ClippedPolicyLoss(inputs.clip(), method.aggregation()), valueLoss,
          loss.valueCoefficient(), klInLoss ? inputs.klEstimator() : null,
          spec.kl().coefficient(), loss.entropyCoefficient(), padId);
      PolicyUpdatePlan plan = new PolicyUpdatePlan(loss.epochs(),
          spec.optimization().batchSize(), spec.optimization().microBatchSize(), spec.seed());
      IterationResult result = RolloutIterations.<PolicySample.Buffer, List<PolicySample>>builder(
              iterationOptions(), model.parameters(), this::buildBuffer,
              RolloutIterations.BufferCodec.json(PolicySample.Buffer.class),
              (buffer, iteration) -> {
                // The controller as this buffer left it, also when the buffer was read back on
                // resume: the iteration's checkpoint saves it.
                checkpoints.setKlCoefficient(buffer.nextKlCoefficient());
                return plan.updates(buffer.samples(), iteration,
                    sample -> sample.prompt().length + sample.response().length);
              }, objective)
          .runDirectory(context.run())
          .checkpoints(checkpoints, checkpoints)
          .progress(Progress.lines(method.name(), spec.iterations(), "iterations",
              context.log()))
          .progressDetail(m -> String.format(Locale.ROOT, "reward %.3f accuracy %.3f KL %.4f"
              + " length %.0f", m.stats().getOrDefault("reward/mean", Double.NaN),
              m.stats().getOrDefault("reward/accuracy", Double.NaN),
              m.stats().getOrDefault("kl/reference", Double.NaN),
              m.stats().getOrDefault("response/length", Double.NaN)))
          .listener(this::afterIteration)
          .build()
          .run(manager);
      CurvePoint last = context.memo(FINAL_EVAL_FILE, CurvePoint.class,
          () -> context.record().stage("eval", () -> evaluate(result.iterations())));
      List<CurvePoint> curve = curve(last);
      context.run().writeJsonLines(CURVE_FILE, curve);
      if (Lora.config(model.policy()) != null) {
        // Published merged, as a plain model; the adapters stay in the last checkpoint.
        Lora.merge(model.policy());
      }
      Path finalModel = context.run().writeDirectory(PublishedModel.DIR,
          dir -> Checkpoint.save(model.policy(), dir, inputs.policy().tokenizerFile()));
      return new Result(result.iterations(), result.iterations() * rolloutsPerIteration,
          result.stopped(), curve, finalModel);
    }

    private IterationOptions iterationOptions() {
      var o = spec.optimization();
      LearningRateSchedule schedule = new LearningRateSchedule(o.learningRate(),
          Math.min(o.warmupSteps(), spec.iterations()), spec.iterations(),
          LearningRateSchedule.Decay.CONSTANT, o.learningRate());
      AdamW.Config adam = new AdamW.Config(o.adamBeta1(), o.adamBeta2(), 1e-8, o.weightDecay(),
          false);
      return new IterationOptions(spec.iterations(), schedule, adam, o.maxGradNorm(),
          spec.seed());
    }

    private LoopControl afterIteration(IterationMetrics metrics) {
      Double kl = metrics.stats().get("kl/reference");
      if (spec.kl().maxKl() > 0 && kl != null && kl > spec.kl().maxKl()) {
        context.log().accept(String.format(Locale.ROOT, "stopping after iteration %d: the KL"
                + " to the reference is %.4f per token, above maxKl %s; its checkpoint is kept",
            metrics.iteration(), kl, spec.kl().maxKl()));
        return LoopControl.STOP;
      }
      return LoopControl.CONTINUE;
    }

    /** Iteration n's buffer from the weights after n − 1 iterations. */
    private RolloutIterations.Buffer<PolicySample.Buffer> buildBuffer(long iteration,
        NDManager manager) {
      Statistics statistics = Statistics.NONE;
      if (spec.evalEvery() > 0 && (iteration - 1) % spec.evalEvery() == 0) {
        long start = System.nanoTime();
        CurvePoint point = evaluate(iteration - 1);
        statistics = statistics.with("eval/maj1", point.maj1())
            .with("eval/majAtK", point.majAtK()).with("eval/passAtK", point.passAtK())
            .with("time/eval", seconds(start));
      }
      int[] chosen = questionOrder.batch(iteration - 1, spec.questionsPerIteration());
      List<Problem> problems = new ArrayList<>(chosen.length);
      for (int index : chosen) {
        problems.add(inputs.questions().get(index));
      }
      long start = System.nanoTime();
      List<Rollout> rollouts = new Sampler(model.policy(), tokenizer).sample(
          problems.stream().map(p -> format.prompt(p.question())).toList(), spec.rollout().k(),
          spec.rollout().sampling(), ShuffledOrder.mix(spec.seed(), iteration), n -> { });
      rollouts = rollouts.stream().filter(r -> r.tokens().length > 0).toList();
      double generation = seconds(start);
      start = System.nanoTime();
      List<org.reasonrl.reward.TokenRewards> scores = reward.scoreByPrompt(rollouts, problems);
      double rewardSeconds = seconds(start);
      start = System.nanoTime();
      List<TokenizedExample> rows = rollouts.stream()
          .map(r -> new TokenizedExample(r.promptTokens(), r.tokens())).toList();
      PolicyScoring.Scored scored = PolicyScoring.score(model, reference, rows,
          spec.rollout().temperature(), spec.optimization().microBatchSize(), padId, manager);
      double forward = seconds(start);

      List<BufferAssembly.Response> responses = new ArrayList<>(rollouts.size());
      for (int i = 0; i < rollouts.size(); i++) {
        Rollout r = rollouts.get(i);
        responses.add(new BufferAssembly.Response(chosen[r.promptIndex()], r.promptIndex(),
            r.promptTokens(), r.tokens(), scores.get(i).perToken(), scores.get(i).correct()));
      }
      BufferAssembly.Assembled assembled = assembly.assemble(responses, scored,
          checkpoints.controller().coefficient());
      double nextBeta = checkpoints.controller().update(assembled.sequenceKl(), rollouts.size())
          .coefficient();
      statistics = statistics.disjointUnion(assembled.statistics())
          .with("rollouts", (double) iteration * rolloutsPerIteration)
          .with("time/generation", generation)
          .with("time/reward", rewardSeconds)
          .with("time/forward", forward);
      context.record().recordStage("generation", Duration.ofNanos((long) (generation * 1e9)));
      return new RolloutIterations.Buffer<>(new PolicySample.Buffer(assembled.samples(),
          nextBeta), statistics);
    }

    private CurvePoint evaluate(long iteration) {
      EvalOptions options = EvalOptions.of(spec.eval(), spec.seed(), BOOTSTRAP_RESAMPLES);
      ExpertIteration.Scores scores = ExpertIteration.Scores.of(new Evaluator(model.policy(),
          tokenizer, format, null).evaluate(inputs.evalProblems(), options, context.log())
          .result());
      CurvePoint point = new CurvePoint(iteration, iteration * rolloutsPerIteration,
          scores.maj1(), scores.majAtK(), scores.passAtK(), scores.k());
      context.log().accept(String.format(Locale.ROOT, "eval after %d iterations (%d rollouts):"
              + " maj@1 %.3f maj@%d %.3f pass@%d %.3f", iteration, point.rollouts(),
          point.maj1(), point.k(), point.majAtK(), point.k(), point.passAtK()));
      return point;
    }

    /** The evaluations recorded in metrics.jsonl, then the final one. */
    private List<CurvePoint> curve(CurvePoint last) {
      List<CurvePoint> curve = new ArrayList<>();
      for (var record : context.run().readMetrics()) {
        var stats = record.path("stats");
        if (stats.has("eval/maj1")) {
          long before = record.path("iteration").asLong() - 1;
          curve.add(new CurvePoint(before, before * rolloutsPerIteration,
              stats.path("eval/maj1").asDouble(), stats.path("eval/majAtK").asDouble(),
              stats.path("eval/passAtK").asDouble(), spec.eval().k()));
        }
      }
      if (curve.isEmpty() || curve.get(curve.size() - 1).iteration() != last.iteration()) {
        curve.add(last);
      }
      return curve;
    }
  }

  private KlController initialController() {
    PpoSpec.KlPenalty kl = spec.kl();
    return kl.target() > 0 ? KlController.adaptive(kl.coefficient(), kl.target(), kl.horizon())
        : KlController.fixed(kl.coefficient());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
