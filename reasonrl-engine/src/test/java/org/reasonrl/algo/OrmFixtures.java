package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Gsm8k;
import org.reasonrl.data.Problem;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.rollout.ScriptedModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/**
 * A policy and questions where the ORM's label is learnable and known: every question's gold
 * answer is 42, and the policy writes {@code " #### 42\n"} or {@code " #### 7\n"} with equal
 * probability (two successors of {@code " ####"} with equal logits, every other step
 * deterministic). So about half the samples are correct, and correctness is visible in the
 * tokens. Like {@link ScriptedModel} the LM head encodes a bigram table; unlike it, attention
 * keeps its random output projection, so the last token's hidden state can see the answer.
 */
final class OrmFixtures {

  private OrmFixtures() {}

  /** Writes {@code tokenizer.json}, the policy checkpoint {@code policy/} and {@code data/}. */
  static void write(Path dir, int questions) throws IOException {
    EngineRuntime.ensureStarted();
    Path tokenizerFile = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      Checkpoint.save(twoAnswerPolicy(manager, tokenizer), dir.resolve("policy"), tokenizerFile);
    }
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < questions; i++) {
      int a = 2 + i;
      problems.add(new Problem("q" + i, "Mia has " + a + " apples and buys " + (42 - a)
          + " more apples. How many apples?", "Mia has " + a + " + " + (42 - a) + " = 42 apples."
          + "\n#### 42", "42"));
    }
    Files.createDirectories(dir.resolve("data"));
    Gsm8k.write(dir.resolve("data").resolve("train.jsonl"), problems);
  }

  static DatasetSpec dataset(Path dir) {
    return new DatasetSpec(DatasetSpec.GSM8K, dir.resolve("data"), "train", true);
  }

  /** A small, fast spec: K=4 at T=1, a quarter of the questions held out. */
  static OrmSpec spec(Path dir, Path output, long steps, long seed, int checkpointEvery) {
    return new OrmSpec(dir.resolve("policy"), dataset(dir), 0, RolloutSpec.of(4, 1.0, 8, 32),
        0.25, new Optimization(steps, 8, 4, 3e-2, 2, 0.0, 1.0, 5, checkpointEvery, 0.9, 0.999),
        false, seed, output);
  }

  /**
   * Writes " #### 42" or " #### 7" (about equally likely) after any prompt ending in ":"; its
   * attention is kept so an ORM on top can tell the two apart at the last tokens.
   */
  static CausalLm twoAnswerPolicy(NDManager manager, Tokenizer tokenizer) {
    int colon = ScriptedModel.id(tokenizer, ":");
    int hashes = ScriptedModel.id(tokenizer, " ####");
    int four = ScriptedModel.id(tokenizer, " 4");
    int two = ScriptedModel.id(tokenizer, "2");
    int seven = ScriptedModel.id(tokenizer, " 7");
    int newline = ScriptedModel.id(tokenizer, "\n");
    return ScriptedModel.graph(manager, tokenizer, colon, new int[][] {{colon, hashes},
        {hashes, four}, {hashes, seven}, {four, two}, {two, newline}, {seven, newline},
        {newline, tokenizer.eosId()}}, true);
  }
}
