package org.reasonrl.reward;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.StopReason;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;

/** The embedded benchmark's tokenizer and rollouts written by hand with it. */
final class RewardFixtures {

  private RewardFixtures() {}

  /** Starts libtorch on one thread and loads the embedded WordLevel tokenizer from {@code dir}. */
  static Tokenizer tokenizer(Path dir) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path file = dir.resolve("tokenizer.json");
    try {
      WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Tokenizer.load(file);
  }

  /**
   * A rollout that wrote {@code solution} after the zero-shot prompt of {@code question} and
   * ended with EOS, as the sampler would record it (log-probabilities are not used by rewards).
   */
  static Rollout rollout(Tokenizer tokenizer, int promptIndex, String question, String solution) {
    String completion = PromptFormat.completion(solution);
    int[] tokens = PromptFormat.encodeCompletion(tokenizer, completion);
    return new Rollout(promptIndex, 0,
        PromptFormat.encodePrompt(tokenizer, PromptFormat.zeroShot().prompt(question)), tokens,
        new float[tokens.length], new float[tokens.length], completion, StopReason.EOS);
  }

  /**
   * An untrained ORM over the tokenizer's vocabulary whose weights are scaled up from the 0.02
   * init, so its per-token probabilities differ visibly from 0.5 and from each other.
   */
  static OutcomeRewardModel tinyOrm(NDManager manager, Tokenizer tokenizer) {
    CausalLm backbone = CausalLm.create(LlamaConfig.of(16, 32, 1, 2, 2, tokenizer.vocabSize(),
        256, false)).initializeRandom(manager, SeedStream.of(3, "reward-fixture/backbone"));
    ScalarHead head = ScalarHead.create(16, manager, SeedStream.of(5, "reward-fixture/head"));
    backbone.namedParameters().forEach((name, p) -> {
      if (!name.endsWith("norm.weight")) {
        p.getArray().muli(25);
      }
    });
    head.namedParameters().values().forEach(p -> p.getArray().muli(25));
    return new OutcomeRewardModel(backbone, head);
  }

  /** The positions of {@code token} in {@code tokens}, counted independently of the code. */
  static int[] positions(int[] tokens, int token) {
    return java.util.stream.IntStream.range(0, tokens.length).filter(t -> tokens[t] == token)
        .toArray();
  }
}
