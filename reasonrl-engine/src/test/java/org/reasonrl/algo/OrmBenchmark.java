package org.reasonrl.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.AdamW;
import org.reasonrl.train.BatchSource;
import org.reasonrl.train.LearningRateSchedule;
import org.reasonrl.train.Optimization;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.TokenLosses;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingOptions;

/**
 * A measured ORM run on the embedded benchmark (not a unit test): a briefly supervised policy
 * (the embedded default model, plain SFT on reference solutions, just enough to be right
 * sometimes), then {@link OrmTraining} on its samples.
 * {@code OrmBenchmark <workDir> <sftSteps> <questions> <K> <ormSteps>}.
 */
public final class OrmBenchmark {

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    long sftSteps = Long.parseLong(args[1]);
    int questions = Integer.parseInt(args[2]);
    int k = Integer.parseInt(args[3]);
    long ormSteps = Long.parseLong(args[4]);
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 42));
    Files.createDirectories(work);
    Path tokenizerFile = work.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    Path policyDir = work.resolve("policy");
    long start = System.nanoTime();
    if (!Files.exists(policyDir)) {
      try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
          NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          RunDirectory run = RunDirectory.open(work.resolve("sft"))) {
        List<Problem> train = Datasets.load(DatasetSpec.synthetic("train")).problems();
        List<TokenizedExample> examples = new ArrayList<>();
        for (Problem p : train) {
          examples.add(TokenizedExample.of(tokenizer, PromptFormat.zeroShot(), p.question(),
              p.referenceSolution()));
        }
        LlamaConfig config = LlamaConfig.embeddedDefault(tokenizer.vocabSize())
            .withSpecialTokens(tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId());
        CausalLm model = CausalLm.create(config)
            .initializeRandom(manager, SeedStream.of(1, "init"));
        ShuffledOrder order = new ShuffledOrder(42, examples.size());
        int pad = Math.max(tokenizer.padId(), 0);
        BatchSource<SequenceBatch> batches = step -> {
          List<TokenizedExample> rows = new ArrayList<>();
          for (int i : order.batch(step, 32)) {
            rows.add(examples.get(i));
          }
          return List.of(SequenceBatch.of(rows, pad));
        };
        TrainingOptions options = new TrainingOptions(sftSteps,
            new LearningRateSchedule(3e-3, 50, sftSteps, LearningRateSchedule.Decay.COSINE, 3e-4),
            new AdamW.Config(0.9, 0.99, 1e-8, 0.01, false), 1.0, 50, 500, 42);
        TrainingLoop.<SequenceBatch>builder(options, model.getParameters(), batches,
                (batch, ps, m) -> {
                  NDArray logits = model.forward(ps, batch.inputArray(m),
                      batch.attentionArray(m), null, true).logits();
                  return TokenLosses.maskedNllLoss(logits, batch.targetArray(m),
                      batch.lossMaskArray(m));
                })
            .runDirectory(run)
            .progress(Progress.lines("sft", sftSteps, "steps", System.out::println))
            .build().run(manager);
        Checkpoint.save(model, policyDir, tokenizerFile);
      }
    }
    System.out.printf("policy ready in %.0f s%n", (System.nanoTime() - start) / 1e9);
    OrmSpec spec = new OrmSpec(policyDir, DatasetSpec.synthetic("train"), questions,
        RolloutSpec.of(k, 0.7, 160, 128), 0.2,
        new Optimization(ormSteps, 32, 16, 3e-4, 20, 0.01, 1.0, 10, 50, 0.9, 0.999), false, 42,
        work.resolve("orm-run"));
    start = System.nanoTime();
    OrmTraining.Report report = new OrmTraining(spec).run(System.out::println);
    System.out.printf("orm goal in %.0f s (sampling %.0f s, train %.0f s)%n",
        (System.nanoTime() - start) / 1e9, report.seconds().get("sampling"),
        report.seconds().get("train"));
    System.out.println(OrmTraining.summary(report));
  }

  private OrmBenchmark() {}
}
