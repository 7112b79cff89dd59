package org.reasonrl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.rollout.StopCondition;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.ConditionTokens;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.text.TokenizerFixtures;

class VocabularyGrowthTest {

  private static final String EMBED = "model.embed_tokens.weight";
  private static final String HEAD = "lm_head.weight";
  /** The size of {@link TokenizerFixtures}' vocabulary, without condition tokens. */
  private static final int OLD = 21;
  private static final int NEW = OLD + 2;
  private static final int[][] IDS = {{0, 0, 3, 4, 20}, {6, 7, 8, 9, 10}};
  private static final int[][] MASK = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};

  private static NDManager manager;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
    manager = NDManager.newBaseManager(EngineRuntime.device());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static CausalLm plainModel(boolean tied, long seed) {
    return ModelFixtures.randomModel(manager, ModelFixtures.tiny(tied).withVocabSize(OLD), seed);
  }

  private static CausalLm grow(CausalLm model, long seed) {
    return VocabularyGrowth.fit(model, NEW, manager, SeedStream.of(seed, "rcrl"));
  }

  private static float[] newRows(CausalLm grown, String name) {
    float[] all = ModelFixtures.weights(grown).get(name);
    return Arrays.copyOfRange(all, all.length - 2 * grown.config().hiddenSize(), all.length);
  }

  @Test
  void oldParametersStayBitIdenticalAndNewRowsComeFromTheNamedStream() {
    for (boolean tied : new boolean[] {false, true}) {
      CausalLm model = plainModel(tied, 51);
      Map<String, float[]> before = ModelFixtures.weights(model);
      CausalLm grown = grow(model, 7);
      assertEquals(model.config().withVocabSize(NEW), grown.config());
      Map<String, float[]> after = ModelFixtures.weights(grown);
      assertEquals(before.keySet(), after.keySet());
      int hidden = model.config().hiddenSize();
      for (String name : before.keySet()) {
        float[] old = before.get(name);
        float[] kept = Arrays.copyOf(after.get(name), old.length);
        assertArrayEquals(old, kept, name); // bit-for-bit: Arrays.equals compares float bits
        if (name.equals(EMBED) || name.equals(HEAD)) {
          assertEquals(NEW * hidden, after.get(name).length, name);
          float[] expected = SeedStream.of(7, "rcrl").derive(VocabularyGrowth.SEED_PURPOSE)
              .derive(name).normal(2 * hidden, 0.02);
          assertArrayEquals(expected, newRows(grown, name), name);
        } else {
          assertEquals(old.length, after.get(name).length, name);
        }
      }
      assertEquals(tied, !after.containsKey(HEAD));
      // The old model is left as it was, and the growth is a function of the seed.
      assertEquals(before.keySet(), ModelFixtures.weights(model).keySet());
      before.forEach((name, values) ->
          assertArrayEquals(values, ModelFixtures.weights(model).get(name), name));
      assertArrayEquals(newRows(grown, EMBED), newRows(grow(model, 7), EMBED));
      assertFalse(Arrays.equals(newRows(grown, EMBED), newRows(grow(model, 8), EMBED)));
      assertEquals(model.trainableParameters().keySet(), grown.trainableParameters().keySet());
      model.setTrainable(false);
      assertTrue(grow(model, 7).trainableParameters().isEmpty(), "frozen stays frozen");
    }
  }

  @Test
  void logitsOfAPromptWithoutConditionTokensKeepTheirOldColumns() {
    for (boolean tied : new boolean[] {false, true}) {
      CausalLm model = plainModel(tied, 52);
      float[] old = ModelFixtures.logits(manager, model, IDS, MASK);
      float[] grown = ModelFixtures.logits(manager, grow(model, 3), IDS, MASK);
      assertEquals(old.length / OLD * NEW, grown.length);
      double worst = 0;
      for (int row = 0; row < old.length / OLD; row++) {
        for (int v = 0; v < OLD; v++) {
          worst = Math.max(worst, Math.abs(old[row * OLD + v] - grown[row * NEW + v]));
        }
      }
      assertTrue(worst <= 1e-6, "tied=" + tied + " max difference " + worst);
    }
  }

  @Test
  void aModelWithRowsToSpareIsReturnedAsItIs() {
    CausalLm padded = ModelFixtures.randomModel(manager, ModelFixtures.tiny(false), 53);
    assertEquals(NEW, padded.config().vocabSize());
    assertSame(padded, grow(padded, 1));
    assertSame(padded, VocabularyGrowth.fit(padded, OLD, manager, SeedStream.of(1, "rcrl")));
  }

  @Test
  void adaptersMustComeAfterGrowth() {
    CausalLm model = plainModel(false, 54);
    Lora.apply(model, new LoraConfig(2, 4, 0, List.of("q_proj")), manager, SeedStream.of(1, "l"));
    assertThrows(IllegalStateException.class, () -> grow(model, 1));
  }

  @Test
  void theEmbeddedTokenizerAlreadyHoldsThemSoNothingGrows() throws IOException {
    Path file = tmp.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    assertEquals(file, ConditionTokens.ensure(file, tmp.resolve("unused.json")));
    assertFalse(Files.exists(tmp.resolve("unused.json")));
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(new ConditionTokens(4, 5), ConditionTokens.of(tokenizer));
      CausalLm model = CausalLm.create(LlamaConfig.of(16, 32, 1, 2, 2, tokenizer.vocabSize(), 32,
          false)).initializeRandom(manager, SeedStream.of(2, "init"));
      assertSame(model, VocabularyGrowth.fit(model, tokenizer.vocabSize(), manager,
          SeedStream.of(2, "rcrl")));
    }
  }

  /**
   * A Hugging Face checkpoint whose tokenizer lacks the tokens: it loads, its tokenizer and model
   * grow, the grown pair round-trips through a checkpoint, and LoRA and the sampler work on it.
   */
  @Test
  void aCheckpointWithoutThemLoadsGrowsAndRoundTrips() throws IOException {
    Path hf = tmp.resolve("hf");
    Path plainTokenizer = TokenizerFixtures.writeTokenizer(Files.createDirectories(tmp.resolve(
        "tok")), TokenizerFixtures.PLAIN_SPECIALS);
    Checkpoint.save(plainModel(false, 55), hf, plainTokenizer);

    CausalLm loaded = Checkpoint.load(hf, manager);
    Path grownTokenizer = ConditionTokens.ensure(hf.resolve(Checkpoint.TOKENIZER),
        tmp.resolve("run").resolve(Checkpoint.TOKENIZER));
    CausalLm grown;
    try (Tokenizer tokenizer = Tokenizer.load(grownTokenizer)) {
      assertEquals(new ConditionTokens(OLD, OLD + 1), ConditionTokens.of(tokenizer));
      grown = VocabularyGrowth.fit(loaded, tokenizer.vocabSize(), manager, SeedStream.of(4, "r"));
    }
    Path saved = tmp.resolve("grown");
    Checkpoint.save(grown, saved, grownTokenizer);
    assertEquals(NEW, Checkpoint.readConfig(saved).vocabSize());
    CausalLm reloaded = Checkpoint.load(saved, manager);
    ModelFixtures.weights(grown).forEach((name, values) ->
        assertArrayEquals(values, ModelFixtures.weights(reloaded).get(name), name));
    int[][] withTokens = {{OLD, 3, 4, OLD + 1, 20}};
    int[][] mask = {{1, 1, 1, 1, 1}};
    float[] logits = ModelFixtures.logits(manager, reloaded, withTokens, mask);
    assertArrayEquals(ModelFixtures.logits(manager, grown, withTokens, mask), logits);

    try (Tokenizer tokenizer = Tokenizer.load(saved.resolve(Checkpoint.TOKENIZER))) {
      ConditionTokens ids = ConditionTokens.of(tokenizer);
      assertArrayEquals(new int[] {ids.good()}, tokenizer.encode(ConditionTokens.GOOD));
      assertArrayEquals(new int[] {ids.bad()}, tokenizer.encode(ConditionTokens.BAD));
      assertTrue(tokenizer.isSpecial(ConditionTokens.GOOD));

      Lora.apply(reloaded, new LoraConfig(2, 4, 0, List.of("q_proj", "v_proj")), manager,
          SeedStream.of(5, "lora"));
      assertArrayEquals(logits, ModelFixtures.logits(manager, reloaded, withTokens, mask),
          "B starts at zero");
      List<Rollout> rollouts = new Sampler(reloaded, tokenizer).sample(
          List.of("[GOOD] 3 plus 4 is", "[BAD] 1 + 1 ="), 2,
          new SamplingOptions(1.0, 1, 6, 4, StopCondition.NONE), 9, null);
      assertEquals(4, rollouts.size());
      for (Rollout rollout : rollouts) {
        // After BOS, each prompt starts with its condition token.
        assertEquals(rollout.promptIndex() == 0 ? ids.good() : ids.bad(),
            rollout.promptTokens()[1]);
        assertTrue(rollout.tokens().length >= 1 && rollout.tokens().length <= 6);
        assertTrue(Arrays.stream(rollout.tokens()).allMatch(t -> t >= 0 && t < NEW));
      }
    }
  }
}
