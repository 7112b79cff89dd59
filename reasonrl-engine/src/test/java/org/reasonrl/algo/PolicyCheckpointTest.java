package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;

/**
 * A checkpoint a job starts from is refused before the output directory is touched, naming the
 * file and what is wrong with it, when the model cannot run with its tokenizer.
 */
class PolicyCheckpointTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    EngineRuntime.ensureStarted();
  }

  /** A tiny model of {@code vocab} rows saved with the embedded tokenizer. */
  private Path checkpoint(String name, int vocabShortfall) throws IOException {
    return checkpoint(name, vocabShortfall, model -> { });
  }

  private Path checkpoint(String name, int vocabShortfall, Consumer<CausalLm> edit)
      throws IOException {
    Path dir = temp.resolve(name);
    Path tokenizerFile = temp.resolve(name + "-tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      LlamaConfig config = SupervisedFixtures.tinyConfig(tokenizer.vocabSize() - vocabShortfall);
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "i"));
      edit.accept(model);
      Checkpoint.save(model, dir, tokenizerFile);
    }
    return dir;
  }

  private static int tokenizerSize(Path dir) {
    try (Tokenizer tokenizer = Tokenizer.load(dir.resolve(Checkpoint.TOKENIZER))) {
      return tokenizer.vocabSize();
    }
  }

  /** What a job would do with it: eval, which must refuse before writing anything. */
  private void refusedByEval(Path checkpoint, String... fragments) {
    Path out = temp.resolve("out");
    CheckpointException refused = assertThrows(CheckpointException.class,
        () -> new Evaluation(new EvalSpec(checkpoint, DatasetSpec.synthetic("test"), 2, 0, null,
            EvalOptions.of(1, 1.0, 4, 4, 1), out)).run(line -> { }));
    for (String fragment : fragments) {
      assertTrue(refused.getMessage().contains(fragment), refused.getMessage());
    }
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aVocabularySmallerThanTheTokenizersIsRefusedNamingBothFilesAndSizes() throws IOException {
    Path small = checkpoint("small-vocab", 4);
    int tokens = tokenizerSize(small);
    refusedByEval(small, small.resolve(Checkpoint.TOKENIZER) + " has " + tokens + " tokens",
        small.resolve(Checkpoint.CONFIG) + " has vocab_size " + (tokens - 4));

    // config.json claims the tokenizer's size, but the weights have fewer rows.
    Path edited = checkpoint("edited-config", 4);
    Path config = edited.resolve(Checkpoint.CONFIG);
    Files.writeString(config, Files.readString(config).replace(
        "\"vocab_size\" : " + (tokens - 4), "\"vocab_size\" : " + tokens));
    assertEquals(tokens, Checkpoint.readConfig(edited).vocabSize());
    refusedByEval(edited, "model.embed_tokens.weight", edited.resolve(Checkpoint.WEIGHTS)
        .toString(), "[" + (tokens - 4) + ", 32]");
  }

  /** Weights that diverged to NaN would give every completion as padding: refused, named. */
  @Test
  void nonFiniteWeightsAreRefusedNamingTheTensor() throws IOException {
    Path diverged = checkpoint("diverged", 0, model -> model.namedParameters().values()
        .forEach(p -> p.getArray().muli(Float.NaN)));
    refusedByEval(diverged, "tensor model.layers.0.input_layernorm.weight in "
        + diverged.resolve(Checkpoint.WEIGHTS), "NaN");

    // One bad matrix is found when the weights are loaded.
    Path one = checkpoint("one-tensor", 0, model -> model.namedParameters()
        .get("model.layers.1.mlp.up_proj.weight").getArray()
        .set(new NDIndex("3, 5"), Float.POSITIVE_INFINITY));
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> Checkpoint.load(one, manager));
      assertTrue(e.getMessage().startsWith("tensor model.layers.1.mlp.up_proj.weight in "
          + one.resolve(Checkpoint.WEIGHTS) + " holds Infinity at element "), e.getMessage());
    }
  }

  /** Only the Llama architecture runs: another model type is refused naming the field. */
  @Test
  void anotherModelTypeIsRefusedNamingTheField() throws IOException {
    Path gpt2 = checkpoint("gpt2", 0);
    Path config = gpt2.resolve(Checkpoint.CONFIG);
    Files.writeString(config, Files.readString(config).replace("\"model_type\" : \"llama\"",
        "\"model_type\" : \"gpt2\""));
    Path out = temp.resolve("out");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new Evaluation(new EvalSpec(gpt2, DatasetSpec.synthetic("test"), 2, 0, null,
            EvalOptions.of(1, 1.0, 4, 4, 1), out)).run(line -> { }));
    assertEquals(config + ": model_type 'gpt2' is not supported (only llama, the Llama"
        + " architecture)", refused.getMessage());
    assertFalse(Files.exists(out));
  }
}
