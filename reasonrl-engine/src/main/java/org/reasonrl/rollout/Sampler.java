package org.reasonrl.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.KvCache;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;

/**
 * Batched, KV-cached generation. Prompts × samples are cut into batches; each batch is
 * left-padded, prefilled once, then decoded one token per step for all unfinished rows. Rows
 * that finish are dropped from the batch (their cache rows too) once a quarter of it is done.
 *
 * <p>Every row draws from its own random stream seeded by (seed, prompt, sample), so the samples
 * do not depend on the batch size or on which other prompts share the call: the same seed gives
 * the same samples. A {@link TokenChooser} picks each token from the last position's logits; a
 * {@link StopCheck} ends a row (EOS, the options' {@link StopCondition}, the token budget).
 *
 * <p>Each row's budget is its own: {@code maxNewTokens}, cut only where the model's context ends
 * after that row's prompt — never by a longer prompt beside it. Positions come from each row's
 * mask, so a short, left-padded row runs to the same positions as it would alone; the batch's
 * cache covers the longest padded prompt plus the largest budget.
 */
public final class Sampler {

  private final CausalLm model;
  private final Tokenizer tokenizer;
  private final StopCheck.TokenPieces pieces;
  /** The token put before every step (Return-Conditioned RL's {@code [GOOD]}), or -1. */
  private final int stepCondition;

  public Sampler(CausalLm model, Tokenizer tokenizer) {
    this(model, tokenizer, new StopCheck.TokenPieces(tokenizer, model.config().vocabSize()), -1);
  }

  private Sampler(CausalLm model, Tokenizer tokenizer, StopCheck.TokenPieces pieces,
      int stepCondition) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.pieces = pieces;
    this.stepCondition = stepCondition;
  }

  /**
   * This sampler, writing {@code token} before every step: as the first token of each
   * completion and after every token whose text ends a line (the steps of {@code
   * SolutionSteps}). The token is fed, not drawn: it stays in {@link Rollout#tokens()} with
   * log-probability 0, counts against the budget, and is left out of the completion's text.
   */
  public Sampler conditionedOn(int token) {
    if (token < 0 || token >= model.config().vocabSize()) {
      throw new IllegalArgumentException("condition token id " + token + " is outside the"
          + " model's vocabulary of " + model.config().vocabSize());
    }
    return new Sampler(model, tokenizer, pieces, token);
  }

  /**
   * The seed that makes a call over prompts {@code first, first + 1, ...} of a list draw what one
   * call over the whole list with {@code seed} draws for them (rows are seeded by prompt index):
   * a list sampled in chunks, each with its chunk's seed, gets the samples of a single call.
   */
  public static long seedForPromptsFrom(long seed, int first) {
    return TokenChooser.seedForPromptsFrom(seed, first);
  }

  /** The prompt's token ids as the model sees them: BOS (if the tokenizer has one), then text. */
  public int[] encodePrompt(String prompt) {
    return PromptFormat.encodePrompt(tokenizer, prompt);
  }

  /**
   * Draws {@code samplesPerPrompt} completions for each prompt, ordered by prompt then sample.
   *
   * @param progress told how many rows finished after each batch (may be {@code null})
   */
  public List<Rollout> sample(List<String> prompts, int samplesPerPrompt, SamplingOptions options,
      long seed, IntConsumer progress) {
    List<int[]> encoded = new ArrayList<>(prompts.size());
    for (String prompt : prompts) {
      encoded.add(encodePrompt(prompt));
    }
    return sampleEncoded(encoded, samplesPerPrompt, options, seed, progress);
  }

  /**
   * {@link #sample} for prompts given as token ids (e.g. a question's prompt followed by the
   * first steps of a solution, to sample continuations of that prefix).
   */
  public List<Rollout> sampleEncoded(List<int[]> encoded, int samplesPerPrompt,
      SamplingOptions options, long seed, IntConsumer progress) {
    if (samplesPerPrompt < 1) {
      throw new IllegalArgumentException("samples per prompt must be >= 1 but was "
          + samplesPerPrompt);
    }
    for (int[] prompt : encoded) {
      if (prompt.length == 0) {
        throw new IllegalArgumentException("a prompt needs at least one token");
      }
    }
    int context = model.config().maxPositionEmbeddings();
    int[] budgets = new int[encoded.size()];
    for (int p = 0; p < encoded.size(); p++) {
      int length = encoded.get(p).length;
      if (length >= context) {
        throw new IllegalArgumentException("a prompt of " + length + " tokens does not fit the"
            + " model's context of " + context + " tokens (use fewer few-shot exemplars)");
      }
      budgets[p] = StopCheck.budget(options.maxNewTokens(), length, context);
    }
    int rows = encoded.size() * samplesPerPrompt;
    TokenChooser chooser = new TokenChooser(options);
    StopCheck stopCheck = new StopCheck(tokenizer.eosId(), options.stopCondition(), pieces);
    List<Rollout> out = new ArrayList<>(rows);
    for (int start = 0; start < rows; start += options.batchSize()) {
      int end = Math.min(rows, start + options.batchSize());
      List<Row> batch = new ArrayList<>(end - start);
      for (int r = start; r < end; r++) {
        int prompt = r / samplesPerPrompt;
        int sample = r % samplesPerPrompt;
        batch.add(new Row(prompt, sample, encoded.get(prompt),
            TokenChooser.rowRandom(seed, prompt, sample), budgets[prompt]));
      }
      decode(batch, chooser, stopCheck);
      for (Row row : batch) {
        out.add(row.toRollout(tokenizer, stepCondition));
      }
      if (progress != null) {
        progress.accept(end - start);
      }
    }
    return out;
  }

  private void decode(List<Row> batch, TokenChooser chooser, StopCheck stopCheck) {
    int promptLength = batch.stream().mapToInt(r -> r.prompt.length).max().orElseThrow();
    // Left padding puts every row's prompt at the end of the longest one; a row then needs room
    // for its own budget after it (the last token is never fed back, so one slot is spare).
    int capacity = promptLength + batch.stream().mapToInt(r -> r.budget).max().orElseThrow();
    int pad = Math.max(tokenizer.padId(), 0);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      ParameterStore ps = new ParameterStore(manager, false);
      KvCache cache = model.newCache(manager, batch.size(), capacity);
      List<Row> active = new ArrayList<>(batch);
      // mask[r] = 1 for the row's real tokens: its prompt (right-aligned) and all it generated.
      int[][] ids = new int[active.size()][promptLength];
      int[][] mask = new int[active.size()][capacity];
      for (int r = 0; r < active.size(); r++) {
        int[] prompt = active.get(r).prompt;
        int offset = promptLength - prompt.length;
        Arrays.fill(ids[r], pad);
        System.arraycopy(prompt, 0, ids[r], offset, prompt.length);
        Arrays.fill(mask[r], offset, capacity, 1);
      }
      float[] logits = step(ps, manager, cache, ids, mask, promptLength);
      int vocab = model.config().vocabSize();
      while (true) {
        int[][] next = new int[active.size()][1];
        int finished = 0;
        for (int r = 0; r < active.size(); r++) {
          Row row = active.get(r);
          next[r][0] = startsStep(row)
              ? row.force(stepCondition)
              : row.advance(chooser, stopCheck, logits, r * vocab, vocab);
          if (row.stop != null) {
            finished++;
          }
        }
        if (finished == active.size()) {
          break;
        }
        if (finished > 0 && finished * 4 >= active.size()) {
          int[] keep = new int[active.size() - finished];
          List<Row> still = new ArrayList<>(keep.length);
          int k = 0;
          for (int r = 0; r < active.size(); r++) {
            if (active.get(r).stop == null) {
              keep[k++] = r;
              still.add(active.get(r));
            }
          }
          KvCache smaller = cache.selectRows(keep);
          cache.close();
          cache = smaller;
          int[][] keptNext = new int[keep.length][];
          int[][] keptMask = new int[keep.length][];
          for (int i = 0; i < keep.length; i++) {
            keptNext[i] = next[keep[i]];
            keptMask[i] = mask[keep[i]];
          }
          next = keptNext;
          mask = keptMask;
          active = still;
        }
        // Finished rows still in the batch feed padding; their outputs are ignored.
        for (int r = 0; r < active.size(); r++) {
          if (active.get(r).stop != null) {
            next[r][0] = pad;
          }
        }
        logits = step(ps, manager, cache, next, mask, cache.length() + 1);
      }
      cache.close();
    }
  }

  /** Whether the row's next token begins a step and so is the step condition (if any). */
  private boolean startsStep(Row row) {
    return stepCondition >= 0 && row.stop == null
        && (row.length == 0 || pieces.of(row.tokens[row.length - 1]).indexOf('\n') >= 0);
  }

  /** One forward over new tokens; returns the last position's logits, (rows × vocab) flat. */
  private float[] step(ParameterStore ps, NDManager manager, KvCache cache, int[][] ids,
      int[][] mask, int visible) {
    try (NDManager stepManager = manager.newSubManager()) {
      NDArray idArray = stepManager.create(ids);
      int[][] visibleMask = new int[mask.length][];
      for (int r = 0; r < mask.length; r++) {
        visibleMask[r] = Arrays.copyOf(mask[r], visible);
      }
      NDArray maskArray = stepManager.create(visibleMask);
      NDArray logits = model.forward(ps, idArray, maskArray, cache, false, false).logits();
      return logits.toType(DataType.FLOAT32, false)
          .reshape(new Shape(ids.length, model.config().vocabSize())).toFloatArray();
    }
  }

  /** One sequence being generated. */
  private static final class Row {
    final int promptIndex;
    final int sampleIndex;
    final int[] prompt;
    final SplittableRandom random;
    final int[] tokens;
    final float[] logprobs;
    final float[] samplingLogprobs;
    final StringBuilder text = new StringBuilder();
    final int budget;
    int length;
    StopReason stop;

    Row(int promptIndex, int sampleIndex, int[] prompt, SplittableRandom random, int budget) {
      this.promptIndex = promptIndex;
      this.sampleIndex = sampleIndex;
      this.prompt = prompt;
      this.random = random;
      this.tokens = new int[budget];
      this.logprobs = new float[budget];
      this.samplingLogprobs = new float[budget];
      this.budget = budget;
    }

    /** Chooses, records and returns this row's next token and sets {@link #stop}; 0 once done. */
    int advance(TokenChooser chooser, StopCheck stopCheck, float[] logits, int offset, int vocab) {
      if (stop != null) {
        return 0;
      }
      TokenChooser.Choice choice = chooser.choose(logits, offset, vocab, random);
      tokens[length] = choice.token();
      logprobs[length] = choice.logprob();
      samplingLogprobs[length] = choice.samplingLogprob();
      length++;
      stop = stopCheck.after(choice.token(), length, budget, text);
      return choice.token();
    }

    /** Feeds {@code token} without drawing it (log-probability 0); it adds no text. */
    int force(int token) {
      tokens[length] = token;
      length++;
      stop = length == budget ? StopReason.MAX_TOKENS : null;
      return token;
    }

    Rollout toRollout(Tokenizer tokenizer, int stepCondition) {
      int[] generated = Arrays.copyOf(tokens, length);
      int textLength = stop == StopReason.EOS ? length - 1 : length;
      int[] text = Arrays.stream(tokens, 0, textLength).filter(t -> t != stepCondition)
          .toArray();
      String completion = tokenizer.decode(text);
      return new Rollout(promptIndex, sampleIndex, prompt, generated,
          Arrays.copyOf(logprobs, length), Arrays.copyOf(samplingLogprobs, length), completion,
          stop);
    }
  }
}
