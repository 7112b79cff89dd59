package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.SyntheticFiles;
import org.reasonrl.data.SyntheticOptions;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/** Tiny models and easy datasets for the supervised goals' tests. */
final class SupervisedFixtures {

  private SupervisedFixtures() {}

  /** One-step problems with single-digit operands: learnable by a tiny model in seconds. */
  static SyntheticOptions easyOptions(int train, int test) {
    return new SyntheticOptions(7, train, test, List.of(1.0), 2, 9, 5, 2, 2, 3, 99, false, 0.0,
        160);
  }

  /** Writes the easy benchmark into {@code dir}; returns the train-split spec. */
  static DatasetSpec easyDataset(Path dir, int train, int test) throws IOException {
    SyntheticFiles.write(new SyntheticBenchmark(easyOptions(train, test)), dir);
    return new DatasetSpec(DatasetSpec.SYNTHETIC, dir, "train", true);
  }

  static LlamaConfig tinyConfig(int vocab) {
    return LlamaConfig.of(32, 64, 2, 4, 2, vocab, 256, false);
  }

  /** A randomly initialised tiny model with the embedded tokenizer, saved in HF layout. */
  static Path tinyCheckpoint(Path dir, long seed) throws IOException {
    Path tokenizerFile = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      LlamaConfig config = tinyConfig(tokenizer.vocabSize())
          .withSpecialTokens(tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId());
      CausalLm model = CausalLm.create(config)
          .initializeRandom(manager, SeedStream.of(seed, "init"));
      Checkpoint.save(model, dir, tokenizerFile);
    }
    return dir;
  }

  /** A fast SFT spec on the tiny model. */
  static SftSpec tinySft(Path checkpoint, DatasetSpec dataset, Path output, long steps,
      int evalEvery, int patience) {
    return new SftSpec(checkpoint, dataset, output, 0, 4,
        new Optimization(steps, 8, 8, 3e-3, 5, 0.0, 1.0, 5, 1000), evalEvery, patience,
        RolloutSpec.of(2, 1.0, 40, 64), 11);
  }
}
