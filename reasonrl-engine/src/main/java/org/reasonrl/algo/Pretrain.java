package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.PretrainCorpus;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.SyntheticOptions;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.job.Job;
import org.reasonrl.job.JobContext;
import org.reasonrl.job.JobDefinition;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.run.RunRecord;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.HfCheckpoints;
import org.reasonrl.train.Optimization;
import org.reasonrl.train.SequenceBatch;
import org.reasonrl.train.SupervisedBatches;
import org.reasonrl.train.TokenizedExample;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingResult;

/**
 * The {@code reasonrl:pretrain} job: writes the embedded tokenizer, creates a model and trains it
 * from scratch, next-token on every token of each corpus document (prompt = BOS only), so it
 * learns the language and arithmetic but never sees a worked solution. The result,
 * {@code output/model}, is a Hugging Face checkpoint with its tokenizer.json. Rerunning with the
 * same output resumes (or returns at once when finished).
 */
public final class Pretrain implements Job<Pretrain.Result> {

  public static final String MODEL_DIR = PublishedModel.DIR;

  private final PretrainSpec spec;

  public Pretrain(PretrainSpec spec) {
    this.spec = spec;
  }

  /** What a pretraining run produced. */
  public record Result(Path model, long parameters, int documents, int droppedDocuments,
      TrainingResult training) {}

  @Override
  public JobDefinition<Result> definition() {
    return JobDefinition.of("pretrain", spec.output(), spec, spec.seed(), Result.class);
  }

  @Override
  public Result run(JobContext context) {
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      return train(context.run(), context.record(), manager, context.log());
    }
  }

  private Result train(RunDirectory run, RunRecord record, NDManager manager,
      Consumer<String> log) {
    Path tokenizerFile = run.resolve(Checkpoint.TOKENIZER);
    try {
      WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tokenizerFile, e);
    }
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      LlamaConfig base = spec.model() != null ? spec.model()
          : LlamaConfig.embeddedDefault(tokenizer.vocabSize());
      if (base.vocabSize() != tokenizer.vocabSize()) {
        throw new IllegalArgumentException("model vocab_size " + base.vocabSize()
            + " differs from the embedded tokenizer's " + tokenizer.vocabSize());
      }
      LlamaConfig config = base.withSpecialTokens(tokenizer.bosId(), tokenizer.eosId(),
          tokenizer.padId());
      List<TokenizedExample> examples = new ArrayList<>();
      int dropped = 0;
      List<String> documents = record.stage("corpus", () -> new PretrainCorpus(
          SyntheticOptions.defaults()).generate(spec.seed(), spec.documents(),
              Datasets.generated(SyntheticOptions.defaults(), "test").problems()));
      for (String document : documents) {
        int[] completion = PromptFormat.encodeCompletion(tokenizer, document);
        if (completion.length + 1 > config.maxPositionEmbeddings()) {
          dropped++;
          continue;
        }
        examples.add(new TokenizedExample(new int[] {tokenizer.bosId()}, completion));
      }
      if (examples.isEmpty()) {
        throw new IllegalArgumentException("no pretraining document fits the model's "
            + config.maxPositionEmbeddings() + " positions");
      }
      CausalLm model = CausalLm.create(config)
          .initializeRandom(manager, SeedStream.of(spec.seed(), "pretrain/init"));
      log.accept(String.format("Pretraining a %,d-parameter model on %d documents (%d too long),"
          + " %d steps of %d", config.parameterCount(), examples.size(), dropped,
          spec.optimization().steps(), spec.optimization().batchSize()));
      HfCheckpoints checkpoints = new HfCheckpoints(model, tokenizerFile);
      TrainingLoop<SequenceBatch> loop = TrainingLoop.builder(
              spec.optimization().trainingOptions(spec.seed()), model.getParameters(),
              SupervisedBatches.source(examples, spec.seed(), spec.optimization().batchSize(),
                  spec.optimization().microBatchSize(), Math.max(tokenizer.padId(), 0)),
              SupervisedBatches.objective(model))
          .runDirectory(run)
          .checkpoints(checkpoints, checkpoints)
          .progress(Progress.lines("pretrain", spec.optimization().steps(), "steps", log))
          .build();
      TrainingResult training = record.stage("train", () -> loop.run(manager));
      Path out = run.writeDirectory(MODEL_DIR, dir -> Checkpoint.save(model, dir, tokenizerFile));
      Result result = new Result(out, config.parameterCount(), examples.size(), dropped,
          training);
      log.accept(String.format("Pretrained: final loss %.4f, %.0f s; model in %s",
          training.finalLoss(), training.elapsedSeconds(), out));
      return result;
    }
  }

  /** {@code java ... Pretrain <output> [steps]}: pretrains the embedded model with the defaults. */
  public static void main(String[] args) {
    EngineRuntime.start(new org.reasonrl.runtime.RuntimeOptions("cpu",
        Integer.getInteger("reasonrl.threads", 0), null, 42));
    PretrainSpec defaults = PretrainSpec.defaults(Path.of(args[0]));
    Optimization optimization = args.length > 1
        ? defaults.optimization().withSteps(Long.parseLong(args[1])) : defaults.optimization();
    new Pretrain(new PretrainSpec(defaults.output(), null, defaults.documents(), optimization,
        defaults.seed())).run(System.out::println);
  }
}
