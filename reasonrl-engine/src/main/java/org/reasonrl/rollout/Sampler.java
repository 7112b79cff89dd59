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
 * the same samples. Token choice happens in Java on the last position's logits: greedy argmax,
 * or temperature, optional nucleus cut, then inverse-CDF sampling.
 */
public final class Sampler {

  private final CausalLm model;
  private final Tokenizer tokenizer;
  private final String[] pieces;

  public Sampler(CausalLm model, Tokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.pieces = new String[model.config().vocabSize()];
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
    if (samplesPerPrompt < 1) {
      throw new IllegalArgumentException("samples per prompt must be >= 1 but was "
          + samplesPerPrompt);
    }
    List<int[]> encoded = new ArrayList<>(prompts.size());
    for (String prompt : prompts) {
      encoded.add(encodePrompt(prompt));
    }
    int rows = prompts.size() * samplesPerPrompt;
    List<Rollout> out = new ArrayList<>(rows);
    for (int start = 0; start < rows; start += options.batchSize()) {
      int end = Math.min(rows, start + options.batchSize());
      List<Row> batch = new ArrayList<>(end - start);
      for (int r = start; r < end; r++) {
        int prompt = r / samplesPerPrompt;
        int sample = r % samplesPerPrompt;
        batch.add(new Row(prompt, sample, encoded.get(prompt),
            new SplittableRandom(mix(seed, prompt, sample)), options.maxNewTokens()));
      }
      decode(batch, options);
      for (Row row : batch) {
        out.add(row.toRollout(tokenizer));
      }
      if (progress != null) {
        progress.accept(end - start);
      }
    }
    return out;
  }

  private void decode(List<Row> batch, SamplingOptions options) {
    int promptLength = batch.stream().mapToInt(r -> r.prompt.length).max().orElseThrow();
    int context = model.config().maxPositionEmbeddings();
    if (promptLength >= context) {
      throw new IllegalArgumentException("a prompt of " + promptLength + " tokens does not fit the"
          + " model's context of " + context + " tokens (use fewer few-shot exemplars)");
    }
    // Generation stops at the context's end: rows past it are cut as MAX_TOKENS.
    int capacity = Math.min(promptLength + options.maxNewTokens(), context);
    for (Row row : batch) {
      row.limit(capacity - promptLength);
    }
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
          next[r][0] = row.choose(logits, r * vocab, vocab, options, this);
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

  /** The text of one token, decoded once and remembered (for stop detection). */
  String piece(int id) {
    String piece = pieces[id];
    if (piece == null) {
      piece = tokenizer.decode(new int[] {id});
      pieces[id] = piece;
    }
    return piece;
  }

  boolean isEos(int id) {
    return id == tokenizer.eosId();
  }

  /** A well-mixed 64-bit seed for one row (SplitMix64 finaliser over the three inputs). */
  static long mix(long seed, int prompt, int sample) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + prompt) + 0xBF58476D1CE4E5B9L * (1 + sample);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
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
    int length;
    int budget;
    StopReason stop;

    /** Caps this row's budget (when the context is shorter than prompt + maxNewTokens). */
    void limit(int maxTokens) {
      budget = Math.min(budget, maxTokens);
    }

    Row(int promptIndex, int sampleIndex, int[] prompt, SplittableRandom random, int maxTokens) {
      this.promptIndex = promptIndex;
      this.sampleIndex = sampleIndex;
      this.prompt = prompt;
      this.random = random;
      this.tokens = new int[maxTokens];
      this.logprobs = new float[maxTokens];
      this.samplingLogprobs = new float[maxTokens];
      this.budget = maxTokens;
    }

    /** Picks the next token from this row's logits and records it; sets {@link #stop}. */
    int choose(float[] logits, int offset, int vocab, SamplingOptions options, Sampler sampler) {
      if (stop != null) {
        return 0;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        max = Math.max(max, logits[offset + v]);
      }
      double sum = 0;
      for (int v = 0; v < vocab; v++) {
        sum += Math.exp(logits[offset + v] - max);
      }
      double logNormaliser = max + Math.log(sum);
      int token;
      double samplingLogprob;
      if (options.isGreedy()) {
        token = argMax(logits, offset, vocab);
        samplingLogprob = 0;
      } else {
        double[] probs = temperedProbabilities(logits, offset, vocab, options);
        token = draw(probs, random.nextDouble());
        samplingLogprob = Math.log(probs[token]);
      }
      tokens[length] = token;
      logprobs[length] = (float) (logits[offset + token] - logNormaliser);
      samplingLogprobs[length] = (float) samplingLogprob;
      length++;
      if (sampler.isEos(token)) {
        stop = StopReason.EOS;
      } else {
        noteText(sampler.piece(token), options);
        if (stop == null && length == budget) {
          stop = StopReason.MAX_TOKENS;
        }
      }
      return token;
    }

    private void noteText(String piece, SamplingOptions options) {
      text.append(piece);
      if (options.stopAfterAnswerLine() && answerLineComplete(text)) {
        stop = StopReason.ANSWER_LINE;
      }
    }

    Rollout toRollout(Tokenizer tokenizer) {
      int[] generated = Arrays.copyOf(tokens, length);
      int textLength = stop == StopReason.EOS ? length - 1 : length;
      String completion = tokenizer.decode(Arrays.copyOf(tokens, textLength));
      return new Rollout(promptIndex, sampleIndex, prompt, generated,
          Arrays.copyOf(logprobs, length), Arrays.copyOf(samplingLogprobs, length), completion,
          stop);
    }
  }

  /** Whether the text has written a {@code #### N} line and ended it. */
  static boolean answerLineComplete(CharSequence text) {
    String s = text.toString();
    int marker = s.indexOf("####");
    return marker >= 0 && s.indexOf('\n', marker) >= 0;
  }

  private static int argMax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (logits[offset + v] > logits[offset + best]) {
        best = v;
      }
    }
    return best;
  }

  /** softmax(logits / T), restricted to the nucleus of mass topP and renormalised. */
  static double[] temperedProbabilities(float[] logits, int offset, int vocab,
      SamplingOptions options) {
    double[] probs = new double[vocab];
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[offset + v] / options.temperature());
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      probs[v] = Math.exp(logits[offset + v] / options.temperature() - max);
      sum += probs[v];
    }
    for (int v = 0; v < vocab; v++) {
      probs[v] /= sum;
    }
    if (options.topP() < 1) {
      Integer[] order = new Integer[vocab];
      for (int v = 0; v < vocab; v++) {
        order[v] = v;
      }
      Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
      double kept = 0;
      int cut = vocab;
      for (int i = 0; i < vocab; i++) {
        kept += probs[order[i]];
        if (kept >= options.topP()) {
          cut = i + 1;
          break;
        }
      }
      for (int i = cut; i < vocab; i++) {
        probs[order[i]] = 0;
      }
      for (int v = 0; v < vocab; v++) {
        probs[v] /= kept;
      }
    }
    return probs;
  }

  /** Inverse-CDF draw; the last positive-probability token absorbs rounding. */
  private static int draw(double[] probs, double u) {
    double cumulative = 0;
    int last = 0;
    for (int v = 0; v < probs.length; v++) {
      if (probs[v] > 0) {
        cumulative += probs[v];
        last = v;
        if (u < cumulative) {
          return v;
        }
      }
    }
    return last;
  }
}
