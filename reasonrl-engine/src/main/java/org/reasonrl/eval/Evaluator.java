package org.reasonrl.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.model.CausalLm;
import org.reasonrl.reward.OrmFinalReward;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.reward.TokenRewards;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.rollout.StopCondition;
import org.reasonrl.run.Progress;
import org.reasonrl.text.Tokenizer;

/**
 * Judges a policy on problems the way the study does: greedy decoding for maj@1, n samples per
 * problem for maj@K and pass@K, and — when an outcome reward model is given — rerank@K on the
 * very same samples; given known solutions per problem, the novelty of the correct ones. Every
 * algorithm evaluates through this class.
 */
public final class Evaluator {

  private final CausalLm policy;
  private final Tokenizer tokenizer;
  private final PromptFormat format;
  private final OutcomeRewardModel orm;
  private final NoveltyReference novelty;
  /** The token put before every step (Return-Conditioned RL), or -1. */
  private final int stepCondition;

  /** @param orm scores samples for rerank@K; {@code null} leaves rerank@K absent */
  public Evaluator(CausalLm policy, Tokenizer tokenizer, PromptFormat format,
      OutcomeRewardModel orm) {
    this(policy, tokenizer, format, orm, null);
  }

  /**
   * @param orm scores samples for rerank@K; {@code null} leaves rerank@K absent
   * @param novelty known solution paths per problem id (e.g. {@code NoveltyReference.of} the SFT
   *     train set, when evaluating on its questions); {@code null} leaves novelty absent
   */
  public Evaluator(CausalLm policy, Tokenizer tokenizer, PromptFormat format,
      OutcomeRewardModel orm, NoveltyReference novelty) {
    this(policy, tokenizer, format, orm, novelty, -1);
  }

  private Evaluator(CausalLm policy, Tokenizer tokenizer, PromptFormat format,
      OutcomeRewardModel orm, NoveltyReference novelty, int stepCondition) {
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.format = format;
    this.orm = orm;
    this.novelty = novelty;
    this.stepCondition = stepCondition;
  }

  /**
   * This evaluator with {@code token} written before every step of every solution (see
   * {@link Sampler#conditionedOn}): a Return-Conditioned RL policy asked for good steps.
   */
  public Evaluator conditionedOn(int token) {
    return new Evaluator(policy, tokenizer, format, orm, novelty, token);
  }

  public EvalRun evaluate(List<Problem> problems, EvalOptions options, Consumer<String> log) {
    return evaluate(problems, options, null, log);
  }

  /**
   * {@link #evaluate(List, EvalOptions, Consumer)}, keeping each finished chunk of the greedy and
   * the sample pass in {@code chunks} and reusing the chunks found there: a run killed while
   * sampling, run again, samples only what was not finished, and ends with the same result.
   * Chunks hold whole batches, and each is sampled with {@link Sampler#seedForPromptsFrom}, so
   * the rollouts are those of one call over all prompts.
   *
   * @param chunks where finished chunks are kept; {@code null} keeps none
   */
  public EvalRun evaluate(List<Problem> problems, EvalOptions options, SampledChunks chunks,
      Consumer<String> log) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems to evaluate");
    }
    List<String> prompts = problems.stream().map(p -> format.prompt(p.question())).toList();
    Sampler sampler = stepCondition < 0 ? new Sampler(policy, tokenizer)
        : new Sampler(policy, tokenizer).conditionedOn(stepCondition);
    Map<String, Double> seconds = new LinkedHashMap<>();

    List<Rollout> greedy = null;
    if (options.greedy()) {
      greedy = timed(seconds, "greedy", () -> generate(sampler, prompts, 1,
          options.greedyDecoding(), options.seed(), "greedy", chunks, log));
    }
    List<Rollout> sampled = timed(seconds, "sampling", () -> generate(sampler, prompts,
        options.samples(), options.sampling(), options.seed(), "sample", chunks, log));
    double[] scores = orm == null ? null : timed(seconds, "orm-scoring", () -> score(sampled,
        problems, options.batchSize()));

    List<ProblemOutcome> outcomes = new ArrayList<>(problems.size());
    List<SampleRecord> records = new ArrayList<>();
    long tokens = 0;
    for (int p = 0; p < problems.size(); p++) {
      Problem problem = problems.get(p);
      Sample greedySample = null;
      if (greedy != null) {
        Rollout rollout = greedy.get(p);
        greedySample = Sample.judge(rollout.completion(), problem.answer(), null);
        records.add(record(problem, "greedy", 0, rollout, greedySample));
        tokens += rollout.tokens().length;
      }
      List<Sample> samples = new ArrayList<>(options.samples());
      for (int s = 0; s < options.samples(); s++) {
        int row = p * options.samples() + s;
        Rollout rollout = sampled.get(row);
        Sample sample = Sample.judge(rollout.completion(), problem.answer(),
            scores == null ? null : scores[row]);
        samples.add(sample);
        records.add(record(problem, "sample", s, rollout, sample));
        tokens += rollout.tokens().length;
      }
      outcomes.add(new ProblemOutcome(problem.id(), problem.answer(), greedySample, samples));
    }
    EvalResult result = Metrics.evaluate(outcomes, options.k(), novelty, options.seed(),
        options.bootstrapResamples());
    long rollouts = sampled.size() + (greedy == null ? 0 : greedy.size());
    return new EvalRun(result, outcomes, records, rollouts, tokens, seconds);
  }

  private List<Rollout> generate(Sampler sampler, List<String> prompts, int perPrompt,
      SamplingOptions sampling, long seed, String pass, SampledChunks chunks,
      Consumer<String> log) {
    String label = "eval " + (pass.equals("greedy") ? "greedy" : "samples");
    Progress progress = Progress.lines(label, (long) prompts.size() * perPrompt, "solutions", log);
    long[] done = {0};
    if (chunks == null) {
      return sampler.sample(prompts, perPrompt, sampling, seed, n -> {
        done[0] += n;
        progress.update(done[0], "");
      });
    }
    List<int[]> encoded = prompts.stream().map(sampler::encodePrompt).toList();
    int size = chunkPrompts(sampling.batchSize(), perPrompt, chunks.chunkRows());
    String stop = sampling.stopCondition() == null ? "none"
        : sampling.stopCondition() == StopCondition.ANSWER_LINE ? "answer-line" : "other";
    String settings = pass + " perPrompt=" + perPrompt + " T=" + sampling.temperature()
        + " topP=" + sampling.topP() + " maxNewTokens=" + sampling.maxNewTokens() + " batch="
        + sampling.batchSize() + " stop=" + stop + " seed=" + seed + " stepCondition="
        + stepCondition;
    List<Rollout> out = new ArrayList<>(prompts.size() * perPrompt);
    int reusedBefore = chunks.reused();
    int chunkCount = (prompts.size() + size - 1) / size;
    for (int c = 0; c < chunkCount; c++) {
      int first = c * size;
      List<int[]> part = encoded.subList(first, Math.min(prompts.size(), first + size));
      String key = SampledChunks.key(settings, part);
      List<Rollout> rollouts = chunks.find(pass, c, key, first, part, perPrompt);
      if (rollouts == null) {
        List<Rollout> drawn = sampler.sampleEncoded(part, perPrompt, sampling,
            Sampler.seedForPromptsFrom(seed, first), n -> {
              done[0] += n;
              progress.update(done[0], "");
            });
        rollouts = drawn.stream().map(r -> new Rollout(first + r.promptIndex(), r.sampleIndex(),
            r.promptTokens(), r.tokens(), r.logprobs(), r.samplingLogprobs(), r.completion(),
            r.stop())).toList();
        chunks.save(pass, c, key, first, part.size(), perPrompt, rollouts);
      } else {
        done[0] += rollouts.size();
      }
      out.addAll(rollouts);
    }
    int reused = chunks.reused() - reusedBefore;
    if (reused > 0) {
      log.accept(label + ": reused " + reused + " of " + chunkCount
          + " finished chunks, sampled " + (chunkCount - reused));
    }
    return out;
  }

  /**
   * Prompts per chunk: a multiple of the prompts that fill whole batches ({@code
   * lcm(batchSize, perPrompt) / perPrompt}), so a chunked pass decodes exactly the batches of an
   * unchunked one, and about {@code rows} rows.
   */
  static int chunkPrompts(int batchSize, int perPrompt, int rows) {
    long lcm = (long) batchSize / gcd(batchSize, perPrompt) * perPrompt;
    long unit = lcm / perPrompt;
    long units = Math.max(1, rows / lcm);
    return (int) Math.min(Integer.MAX_VALUE, unit * units);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /**
   * The ORM's final score of each sample (its sparse reward: float32, so held exactly). The ORM
   * reads the solution as written, without step conditions: it was trained on plain solutions.
   */
  private double[] score(List<Rollout> rollouts, List<Problem> problems, int batchSize) {
    List<Rollout> plain = stepCondition < 0 ? rollouts
        : rollouts.stream().map(r -> r.withoutToken(stepCondition)).toList();
    List<TokenRewards> rewards = new OrmFinalReward(orm, batchSize,
        Math.max(tokenizer.padId(), 0)).scoreByPrompt(plain, problems);
    return rewards.stream().mapToDouble(TokenRewards::total).toArray();
  }

  private static SampleRecord record(Problem problem, String kind, int index, Rollout rollout,
      Sample sample) {
    return new SampleRecord(problem.id(), problem.answer(), kind, index, rollout.completion(),
        sample.answer().normalized(), sample.answer().rule().name().toLowerCase(),
        sample.correct(), sample.score(), rollout.stop().name().toLowerCase(),
        rollout.tokens().length);
  }

  private static <T> T timed(Map<String, Double> seconds, String stage,
      java.util.function.Supplier<T> work) {
    long start = System.nanoTime();
    T value = work.get();
    seconds.put(stage, (System.nanoTime() - start) / 1e9);
    return value;
  }
}
