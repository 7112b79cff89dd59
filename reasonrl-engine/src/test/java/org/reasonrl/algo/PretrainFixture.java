package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/** {@code PretrainFixture <output>}: a tiny pretraining run (checkpoints every 5 steps). */
public final class PretrainFixture {

  static final long STEPS = 20;
  static final int CHECKPOINT_EVERY = 5;

  private PretrainFixture() {}

  public static void main(String[] args) throws Exception {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    Path output = Path.of(args[0]);
    Path tokenizerFile = output.resolveSibling(output.getFileName() + "-tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    int vocab;
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      vocab = tokenizer.vocabSize();
    }
    PretrainSpec spec = new PretrainSpec(output,
        LlamaConfig.of(32, 64, 2, 4, 2, vocab, 256, false), 48,
        new Optimization(STEPS, 8, 8, 3e-3, 5, 0.0, 1.0, 5, CHECKPOINT_EVERY), 7);
    Pretrain.Result result = new Pretrain(spec).run(System.out::println);
    System.out.println("resumedFrom=" + result.training().resumedFromStep());
  }
}
