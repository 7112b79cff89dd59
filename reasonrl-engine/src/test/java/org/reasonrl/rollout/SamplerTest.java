package org.reasonrl.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.runtime.SeedStream;

class SamplerTest {

  private static final List<String> PROMPTS = List.of(
      "Question: Mia has 3 apples.\nAnswer:",
      "Question: Tom buys 12 pens and gives away 5 pens. How many pens does Tom have?\nAnswer:",
      "Question: 7\nAnswer:");

  @TempDir
  static Path dir;
  static NDManager manager;
  static Tokenizer tokenizer;
  static CausalLm model;

  @BeforeAll
  static void setUp() throws IOException {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    tokenizer = Tokenizer.load(file);
    model = peakedModel(manager, 256, 3);
  }

  /** A random model with larger weights than the 0.02 init, so that it is far from uniform. */
  private static CausalLm peakedModel(NDManager manager, int context, long seed) {
    LlamaConfig config = LlamaConfig.of(32, 64, 2, 4, 2, tokenizer.vocabSize(), context, false);
    CausalLm peaked = CausalLm.create(config).initializeRandom(manager,
        SeedStream.of(seed, "init"));
    peaked.namedParameters().forEach((name, p) -> {
      if (!name.endsWith("norm.weight")) {
        p.getArray().muli(25);
      }
    });
    return peaked;
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void greedyEqualsAnUncachedArgmaxLoopPerPrompt() {
    Sampler sampler = new Sampler(model, tokenizer);
    List<Rollout> rollouts = sampler.sample(PROMPTS, 1,
        new SamplingOptions(0, 1, 12, 3, StopCondition.NONE), 1, null);
    for (Rollout rollout : rollouts) {
      int[] sequence = sampler.encodePrompt(PROMPTS.get(rollout.promptIndex()));
      for (int step = 0; step < rollout.tokens().length; step++) {
        float[] logits = lastLogits(sequence);
        int best = 0;
        for (int v = 1; v < logits.length; v++) {
          best = logits[v] > logits[best] ? v : best;
        }
        assertEquals(best, rollout.tokens()[step], "prompt " + rollout.promptIndex() + " step " + step);
        assertEquals(logSoftmax(logits)[best], rollout.logprobs()[step], 1e-4);
        sequence = append(sequence, best);
      }
    }
  }

  @Test
  void sameSeedGivesSameSamplesWhateverTheBatchSize() {
    Sampler sampler = new Sampler(model, tokenizer);
    SamplingOptions wide = new SamplingOptions(1.0, 1, 10, 12, StopCondition.NONE);
    SamplingOptions narrow = new SamplingOptions(1.0, 1, 10, 5, StopCondition.NONE);
    List<Rollout> a = sampler.sample(PROMPTS, 4, wide, 99, null);
    List<Rollout> b = sampler.sample(PROMPTS, 4, narrow, 99, null);
    List<Rollout> c = sampler.sample(PROMPTS, 4, wide, 100, null);
    assertEquals(12, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).promptIndex(), b.get(i).promptIndex());
      assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
      assertArrayEquals(a.get(i).logprobs(), b.get(i).logprobs(), 1e-4f);
    }
    assertNotEquals(tokens(a), tokens(c), "another seed should give other samples");
    assertNotEquals(Arrays.toString(a.get(0).tokens()), Arrays.toString(a.get(1).tokens()),
        "two samples of one prompt should differ at temperature 1");
  }

  @Test
  void promptsSampledOneByOneWithTheirSeedsDrawWhatOneCallDraws() {
    Sampler sampler = new Sampler(model, tokenizer);
    // Batches of 4 rows, one prompt each: the same batches either way, so equal to the bit.
    SamplingOptions options = new SamplingOptions(1.0, 1, 10, 4, StopCondition.NONE);
    List<Rollout> whole = sampler.sample(PROMPTS, 4, options, 99, null);
    for (int p = 0; p < PROMPTS.size(); p++) {
      List<Rollout> alone = sampler.sample(List.of(PROMPTS.get(p)), 4, options,
          Sampler.seedForPromptsFrom(99, p), null);
      for (int s = 0; s < 4; s++) {
        assertArrayEquals(whole.get(4 * p + s).tokens(), alone.get(s).tokens());
        assertArrayEquals(whole.get(4 * p + s).logprobs(), alone.get(s).logprobs());
      }
    }
  }

  @Test
  void sampledLogprobsEqualTeacherForcedOnes() {
    Sampler sampler = new Sampler(model, tokenizer);
    List<Rollout> rollouts = sampler.sample(PROMPTS, 2,
        new SamplingOptions(1.3, 0.9, 9, 4, StopCondition.NONE), 5, null);
    for (Rollout rollout : rollouts) {
      int[] sequence = rollout.promptTokens();
      for (int step = 0; step < rollout.tokens().length; step++) {
        float[] logProbs = logSoftmax(lastLogits(sequence));
        assertEquals(logProbs[rollout.tokens()[step]], rollout.logprobs()[step], 1e-4);
        assertTrue(rollout.samplingLogprobs()[step] <= 0);
        sequence = append(sequence, rollout.tokens()[step]);
      }
      assertEquals(tokenizer.decode(rollout.tokens()), rollout.completion());
    }
  }

  @Test
  void eachTokenIsAnInverseCdfDrawFromItsRowsOwnStream() {
    Sampler sampler = new Sampler(model, tokenizer);
    double temperature = 1.3;
    double topP = 0.9;
    long seed = 21;
    List<Rollout> rollouts = sampler.sample(PROMPTS, 3,
        new SamplingOptions(temperature, topP, 6, 4, StopCondition.NONE), seed, null);
    for (Rollout rollout : rollouts) {
      java.util.SplittableRandom random =
          TokenChooser.rowRandom(seed, rollout.promptIndex(), rollout.sampleIndex());
      int[] sequence = rollout.promptTokens();
      for (int step = 0; step < rollout.tokens().length; step++) {
        // Independent: tempered softmax, nucleus by sorting, then the first token in id order
        // whose cumulative probability exceeds the row's next uniform.
        double[] p = temperedNucleus(lastLogits(sequence), temperature, topP);
        double u = random.nextDouble();
        double cumulative = 0;
        int expected = -1;
        for (int v = 0; v < p.length && expected < 0; v++) {
          cumulative += p[v];
          if (p[v] > 0 && u < cumulative) {
            expected = v;
          }
        }
        assertEquals(expected, rollout.tokens()[step], "prompt " + rollout.promptIndex()
            + " sample " + rollout.sampleIndex() + " step " + step);
        sequence = append(sequence, expected);
      }
    }
  }

  @Test
  void theCallersStopConditionEndsTheRow() throws IOException {
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm scripted = ScriptedModel.bigram(local, tokenizer, ":", " ####", " 4", "2", "\n",
          "Question");
      Rollout rollout = new Sampler(scripted, tokenizer).sample(List.of(PROMPTS.get(0)), 1,
          new SamplingOptions(0, 1, 40, 1, text -> text.toString().endsWith("4")), 0, null)
          .get(0);
      assertEquals(" #### 4", rollout.completion());
      assertEquals(StopReason.ANSWER_LINE, rollout.stop());
    }
  }

  @Test
  void firstTokensFollowTheTemperedNucleusDistribution() {
    Sampler sampler = new Sampler(model, tokenizer);
    double temperature = 0.8;
    double topP = 0.7;
    int n = 2000;
    List<Rollout> rollouts = sampler.sample(List.of(PROMPTS.get(0)), n,
        new SamplingOptions(temperature, topP, 1, 512, StopCondition.NONE), 11, null);
    float[] logits = lastLogits(sampler.encodePrompt(PROMPTS.get(0)));
    // Independent: tempered softmax, sort, keep the nucleus, renormalise.
    double[] p = new double[logits.length];
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double sum = 0;
    for (int v = 0; v < p.length; v++) {
      p[v] = Math.exp(logits[v] / temperature - max);
      sum += p[v];
    }
    Integer[] order = new Integer[p.length];
    for (int v = 0; v < p.length; v++) {
      p[v] /= sum;
      order[v] = v;
    }
    Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
    boolean[] nucleus = new boolean[p.length];
    double mass = 0;
    for (Integer v : order) {
      nucleus[v] = true;
      mass += p[v];
      if (mass >= topP) {
        break;
      }
    }
    double[] counts = new double[p.length];
    for (Rollout rollout : rollouts) {
      int token = rollout.tokens()[0];
      assertTrue(nucleus[token], "token " + token + " is outside the nucleus");
      counts[token]++;
    }
    double totalVariation = 0;
    for (int v = 0; v < p.length; v++) {
      double expected = nucleus[v] ? p[v] / mass : 0;
      totalVariation += Math.abs(counts[v] / n - expected) / 2;
    }
    assertTrue(totalVariation < 0.05, "total variation " + totalVariation);
  }

  @Test
  void stopsAtEosAndAfterTheAnswerLine() throws IOException {
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm scripted = ScriptedModel.bigram(local, tokenizer, ":", " ####", " 4", "2", "\n",
          "Question");
      Sampler sampler = new Sampler(scripted, tokenizer);
      List<String> prompt = List.of("Question: Mia has 3 apples.\nAnswer:");
      Rollout answerLine = sampler.sample(prompt, 1,
          new SamplingOptions(0, 1, 40, 1, StopCondition.ANSWER_LINE), 0, null).get(0);
      assertEquals(" #### 42\n", answerLine.completion());
      assertEquals(StopReason.ANSWER_LINE, answerLine.stop());
      Rollout eos = sampler.sample(prompt, 1,
          new SamplingOptions(0, 1, 40, 1, StopCondition.NONE), 0, null).get(0);
      assertEquals(" #### 42\nQuestion", eos.completion());
      assertEquals(StopReason.EOS, eos.stop());
      assertEquals(tokenizer.eosId(), eos.tokens()[eos.tokens().length - 1]);
      Rollout capped = sampler.sample(prompt, 1,
          new SamplingOptions(0, 1, 3, 1, StopCondition.ANSWER_LINE), 0, null).get(0);
      assertEquals(" #### 42", capped.completion());
      assertEquals(StopReason.MAX_TOKENS, capped.stop());
    }
  }

  @Test
  void generationStopsAtTheEndOfTheModelsContext() {
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      Sampler probe = new Sampler(model, tokenizer);
      int promptLength = probe.encodePrompt(PROMPTS.get(0)).length;
      int context = promptLength + 5;
      LlamaConfig short_ = LlamaConfig.of(32, 64, 2, 4, 2, tokenizer.vocabSize(), context, false);
      Sampler sampler = new Sampler(
          CausalLm.create(short_).initializeRandom(local, SeedStream.of(4, "init")), tokenizer);
      Rollout rollout = sampler.sample(List.of(PROMPTS.get(0)), 1,
          new SamplingOptions(1.0, 1, 40, 1, StopCondition.NONE), 3, null).get(0);
      assertTrue(rollout.tokens().length <= 5, "generated " + rollout.tokens().length);
      if (rollout.stop() != StopReason.EOS) {
        assertEquals(5, rollout.tokens().length);
        assertEquals(StopReason.MAX_TOKENS, rollout.stop());
      }
      IllegalArgumentException tooLong = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> sampler.sample(List.of(PROMPTS.get(1)), 1,
              new SamplingOptions(1.0, 1, 4, 1, StopCondition.NONE), 3, null));
      assertTrue(tooLong.getMessage().contains("context of " + context), tooLong.getMessage());
    }
  }

  @Test
  void eachRowGetsItsFullBudgetWhateverPromptsShareItsBatch() {
    // A bigram cycle that never ends: every row runs to its budget.
    int[] cycle = {ScriptedModel.id(tokenizer, "Mia"), ScriptedModel.id(tokenizer, "has")};
    String shortPrompt = PROMPTS.get(2);
    String longPrompt = PROMPTS.get(1);
    int shortLength = new Sampler(model, tokenizer).encodePrompt(shortPrompt).length;
    int longLength = new Sampler(model, tokenizer).encodePrompt(longPrompt).length;
    int maxNew = 8;
    // The long prompt leaves 3 tokens; the old batch-wide cap gave the short row 3 as well.
    int context = longLength + 3;
    assertTrue(shortLength + maxNew <= context, "fixture: the short row must fit maxNew");
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm scripted = ScriptedModel.graph(local, tokenizer, cycle[0],
          new int[][] {{cycle[0], cycle[1]}, {cycle[1], cycle[0]}}, false, context);
      List<Rollout> rollouts = new Sampler(scripted, tokenizer).sample(
          List.of(shortPrompt, longPrompt), 2,
          new SamplingOptions(1.0, 1, maxNew, 4, StopCondition.NONE), 7, null);
      for (Rollout rollout : rollouts) {
        int budget = rollout.promptIndex() == 0 ? maxNew : context - longLength;
        int[] expected = new int[budget];
        for (int t = 0; t < budget; t++) {
          expected[t] = cycle[t % 2];
        }
        assertArrayEquals(expected, rollout.tokens(), "prompt " + rollout.promptIndex());
        assertEquals(StopReason.MAX_TOKENS, rollout.stop());
      }
    }
  }

  @Test
  void greedyRowsBesideALongerPromptMatchAnUncachedLoopPastItsBudget() {
    Sampler probe = new Sampler(model, tokenizer);
    int longLength = probe.encodePrompt(PROMPTS.get(1)).length;
    int context = longLength + 4;
    int maxNew = 12;
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm shortContext = peakedModel(local, context, 3);
      List<Rollout> rollouts = new Sampler(shortContext, tokenizer).sample(PROMPTS, 1,
          new SamplingOptions(0, 1, maxNew, 3, StopCondition.NONE), 1, null);
      for (Rollout rollout : rollouts) {
        int[] sequence = rollout.promptTokens();
        int budget = Math.min(maxNew, context - sequence.length);
        if (rollout.stop() != StopReason.EOS) {
          assertEquals(budget, rollout.tokens().length, "prompt " + rollout.promptIndex());
        }
        for (int step = 0; step < rollout.tokens().length; step++) {
          float[] logits = lastLogits(shortContext, sequence);
          int best = 0;
          for (int v = 1; v < logits.length; v++) {
            best = logits[v] > logits[best] ? v : best;
          }
          assertEquals(best, rollout.tokens()[step], "prompt " + rollout.promptIndex() + " step "
              + step);
          assertEquals(logSoftmax(logits)[best], rollout.logprobs()[step], 1e-4);
          sequence = append(sequence, best);
        }
      }
      // The short prompts ran past the longest one's budget: the case the test is about.
      assertTrue(rollouts.get(2).tokens().length > context - longLength,
          "prompt 2 generated " + rollouts.get(2).tokens().length + " (" + rollouts.get(2).stop()
              + ")");
    }
  }

  @Test
  void aRowsSamplesDoNotDependOnWhichPromptsShareItsBatch() {
    Sampler probe = new Sampler(model, tokenizer);
    int longLength = probe.encodePrompt(PROMPTS.get(1)).length;
    int context = longLength + 3;
    try (NDManager local = NDManager.newBaseManager(EngineRuntime.device())) {
      Sampler sampler = new Sampler(peakedModel(local, context, 5), tokenizer);
      SamplingOptions options = new SamplingOptions(1.0, 1, 10, 8, StopCondition.NONE);
      String shortPrompt = PROMPTS.get(2);
      // The short prompt first (prompt index 0), alone, beside a longer one, beside itself.
      List<Rollout> alone = sampler.sample(List.of(shortPrompt), 4, options, 13, null);
      List<Rollout> withLong = sampler.sample(List.of(shortPrompt, PROMPTS.get(1)), 4, options,
          13, null);
      List<Rollout> narrow = sampler.sample(List.of(shortPrompt, PROMPTS.get(1)), 4,
          new SamplingOptions(1.0, 1, 10, 3, StopCondition.NONE), 13, null);
      // Second (prompt index 1) after a longer or a shorter prompt.
      List<Rollout> afterLong = sampler.sample(List.of(PROMPTS.get(1), shortPrompt), 4, options,
          13, null);
      List<Rollout> afterShort = sampler.sample(List.of(PROMPTS.get(0), shortPrompt), 4, options,
          13, null);
      int pastOldCap = 0;
      for (int s = 0; s < 4; s++) {
        assertSameRollout(alone.get(s), withLong.get(s));
        assertSameRollout(alone.get(s), narrow.get(s));
        assertSameRollout(afterShort.get(4 + s), afterLong.get(4 + s));
        pastOldCap += alone.get(s).tokens().length > context - longLength ? 1 : 0;
      }
      assertTrue(pastOldCap > 0, "no sample ran past the long prompt's budget");
    }
  }

  @Test
  void aStepConditionIsFedBeforeEveryStepAndLeftOutOfTheText() {
    int good = tokenizer.tokenId("[GOOD]");
    int mia = ScriptedModel.id(tokenizer, " Mia");
    int newline = ScriptedModel.id(tokenizer, "\n");
    // A bigram policy: [GOOD] → " Mia" → "\n" → " ####" → " 7" → EOS.
    CausalLm bigram = ScriptedModel.graph(manager, tokenizer, mia, new int[][] {{good, mia},
        {mia, newline}, {newline, ScriptedModel.id(tokenizer, " ####")},
        {ScriptedModel.id(tokenizer, " ####"), ScriptedModel.id(tokenizer, " 7")},
        {ScriptedModel.id(tokenizer, " 7"), tokenizer.eosId()}}, false);
    SamplingOptions greedy = new SamplingOptions(0, 1, 8, 4, StopCondition.NONE);
    Rollout plain = new Sampler(bigram, tokenizer).sample(List.of("Question: x\nAnswer:"), 1,
        greedy, 1, null).get(0);
    assertEquals(" Mia\n #### 7", plain.completion());
    // Conditioned, every step starts with [GOOD], after which the policy writes " Mia" again:
    // [GOOD] Mia \n [GOOD] Mia \n [GOOD] Mia, cut by the budget of 8.
    Rollout conditioned = new Sampler(bigram, tokenizer).conditionedOn(good)
        .sample(List.of("Question: x\nAnswer:"), 1, greedy, 1, null).get(0);
    assertArrayEquals(new int[] {good, mia, newline, good, mia, newline, good, mia},
        conditioned.tokens());
    assertEquals(" Mia\n Mia\n Mia", conditioned.completion());
    assertEquals(StopReason.MAX_TOKENS, conditioned.stop());
    for (int t : new int[] {0, 3, 6}) {
      assertEquals(0f, conditioned.logprobs()[t]);
    }
    assertArrayEquals(new int[] {mia, newline, mia, newline, mia},
        conditioned.withoutToken(good).tokens());
  }

  @Test
  void noStepConditionFollowsTheAnswerLineThatEndsARow() {
    int good = tokenizer.tokenId("[GOOD]");
    int hashes = ScriptedModel.id(tokenizer, " ####");
    int seven = ScriptedModel.id(tokenizer, " 7");
    int newline = ScriptedModel.id(tokenizer, "\n");
    CausalLm bigram = ScriptedModel.graph(manager, tokenizer, hashes, new int[][] {
        {good, hashes}, {hashes, seven}, {seven, newline}, {newline, hashes}}, false);
    Rollout rollout = new Sampler(bigram, tokenizer).conditionedOn(good).sample(
        List.of("Question: x\nAnswer:"), 1, SamplingOptions.greedy(20, 4), 1, null).get(0);
    assertArrayEquals(new int[] {good, hashes, seven, newline}, rollout.tokens());
    assertEquals(" #### 7\n", rollout.completion());
    assertEquals(StopReason.ANSWER_LINE, rollout.stop());
  }

  private static void assertSameRollout(Rollout expected, Rollout actual) {
    assertArrayEquals(expected.tokens(), actual.tokens(), "sample " + expected.sampleIndex());
    assertArrayEquals(expected.logprobs(), actual.logprobs(), 1e-4f);
    assertEquals(expected.stop(), actual.stop());
    assertEquals(expected.completion(), actual.completion());
  }

  /** Logits at the last position of an unpadded, uncached full forward. */
  private static float[] lastLogits(int[] sequence) {
    return lastLogits(model, sequence);
  }

  private static float[] lastLogits(CausalLm model, int[] sequence) {
    try (NDManager local = manager.newSubManager()) {
      NDArray ids = local.create(new int[][] {sequence});
      NDArray mask = ids.onesLike();
      NDArray logits = model.forward(new ParameterStore(local, false), ids, mask, null, false)
          .logits();
      long vocab = logits.getShape().get(2);
      return logits.reshape(new Shape(-1, vocab)).get(sequence.length - 1).toFloatArray();
    }
  }

  private static double[] temperedNucleus(float[] logits, double temperature, double topP) {
    double[] p = new double[logits.length];
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double sum = 0;
    for (int v = 0; v < p.length; v++) {
      p[v] = Math.exp(logits[v] / temperature - max);
      sum += p[v];
    }
    Integer[] order = new Integer[p.length];
    for (int v = 0; v < p.length; v++) {
      p[v] /= sum;
      order[v] = v;
    }
    Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
    double[] kept = new double[p.length];
    double mass = 0;
    for (Integer v : order) {
      kept[v] = p[v];
      mass += p[v];
      if (mass >= topP) {
        break;
      }
    }
    for (int v = 0; v < kept.length; v++) {
      kept[v] /= mass;
    }
    return kept;
  }

  private static float[] logSoftmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    float[] out = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = (float) (logits[i] - max - Math.log(sum));
    }
    return out;
  }

  private static int[] append(int[] sequence, int token) {
    int[] out = Arrays.copyOf(sequence, sequence.length + 1);
    out[sequence.length] = token;
    return out;
  }

  private static String tokens(List<Rollout> rollouts) {
    StringBuilder s = new StringBuilder();
    rollouts.forEach(r -> s.append(Arrays.toString(r.tokens())));
    return s.toString();
  }
}
