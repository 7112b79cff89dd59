package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A policy that answers {@code " #### 42\n"} to every question, and problems where we know which
 * answers are 42: Expert Iteration's bookkeeping can then be worked out by hand.
 */
final class EiFixtures {

  static final String SOLUTION = " #### 42\n";

  private EiFixtures() {}

  static Path scriptedPolicy(Path dir) throws IOException {
    Path tokenizerFile = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      CausalLm policy = ScriptedModel.bigram(manager, tokenizer, ":", " ####", " 4", "2", "\n");
      Checkpoint.save(policy, dir, tokenizerFile);
    }
    return dir;
  }

  /** Train: questions 0 and 2 have answer 42, question 1 has 7; test likewise. */
  static DatasetSpec problems(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Problem> problems = List.of(
        new Problem("a", "Mia has 40 apples and buys 2 more apples. How many apples?",
            "Mia has 40 + 2 = <<40+2=42>>42 apples.\n#### 42", "42"),
        new Problem("b", "Tom has 7 pens. How many pens?", "Tom has 7 pens.\n#### 7", "7"),
        new Problem("c", "Lily has 21 cups and gets 21 more cups. How many cups?",
            "Lily has 21 + 21 = <<21+21=42>>42 cups.\n#### 42", "42"));
    Gsm8k.write(dir.resolve("train.jsonl"), problems);
    Gsm8k.write(dir.resolve("test.jsonl"), problems);
    return new DatasetSpec(DatasetSpec.GSM8K, dir, "train", true);
  }

  static EiSpec spec(Path checkpoint, DatasetSpec data, Path output, int rounds, long steps) {
    return spec(checkpoint, data, output, rounds, steps, 0, null);
  }

  /** With batches of 2, so epochs of D_i are easy to count by hand. */
  static EiSpec spec(Path checkpoint, DatasetSpec data, Path output, int rounds, long steps,
      int maxQuestions, EiFineTuning fineTuning) {
    return new EiSpec(checkpoint, data, data.withSplit("test"), output, rounds, maxQuestions,
        RolloutSpec.of(3, 0.2, 12, 8), false, null, 0.5,
        new Optimization(steps, 2, 2, 1e-4, 0, 0.0, 1.0, 2, 5), fineTuning, true, 0,
        RolloutSpec.of(2, 0.2, 12, 8), 0, 9);
  }
}
