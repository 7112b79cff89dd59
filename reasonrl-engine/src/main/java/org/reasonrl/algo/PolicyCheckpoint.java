package org.reasonrl.algo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.reasonrl.data.ContextFit;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.ProblemSet;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.model.Safetensors;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.text.Tokenizer;

/**
 * A checked model checkpoint a job starts from: config.json readable, the weights' headers
 * matching it, tokenizer.json present and no larger than the model's vocabulary. Every job checks its checkpoints this one way, before
 * its output directory is touched.
 */
record PolicyCheckpoint(Path dir, LlamaConfig config, Path tokenizerFile) {

  static PolicyCheckpoint check(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    LlamaConfig config = Checkpoint.check(absolute);
    Path tokenizerFile = absolute.resolve(Checkpoint.TOKENIZER);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new CheckpointException("checkpoint " + absolute + " has no " + Checkpoint.TOKENIZER);
    }
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new CheckpointException("checkpoint " + absolute + " cannot run with its"
            + " tokenizer: " + tokenizerFile + " has " + tokenizer.vocabSize() + " tokens but "
            + absolute.resolve(Checkpoint.CONFIG) + " has vocab_size " + config.vocabSize()
            + " (the model has no embedding for the ids from " + config.vocabSize() + " on)");
      }
    }
    return new PolicyCheckpoint(absolute, config, tokenizerFile);
  }

  /**
   * An outcome reward model a job scores with: a checkpoint as {@link #check} wants it, plus its
   * reward head ({@code reward_head.safetensors}: readable, one score weight row of the model's
   * hidden size), so that a policy given as the ORM is refused before the output is touched,
   * not when the run loads it.
   */
  static PolicyCheckpoint checkOrm(Path dir) {
    PolicyCheckpoint orm = check(dir);
    Path head = orm.dir().resolve(ScalarHead.REWARD_HEAD_FILE);
    if (!Files.isRegularFile(head)) {
      throw new CheckpointException(orm.dir() + " is not an outcome reward model: "
          + ScalarHead.REWARD_HEAD_FILE + " is missing (an ORM is what the orm goal writes;"
          + " a policy checkpoint cannot score)");
    }
    Safetensors.TensorInfo weight = Safetensors.open(head).tensors().get("score.weight");
    long[] expected = {1, orm.config().hiddenSize()};
    if (weight == null || !Arrays.equals(weight.shape(), expected)) {
      throw new CheckpointException(head + " does not fit the model in " + orm.dir() + ": its"
          + " score.weight has shape " + (weight == null ? "(none)"
              : Arrays.toString(weight.shape())) + " but hidden_size "
          + orm.config().hiddenSize() + " needs " + Arrays.toString(expected));
    }
    return orm;
  }

  Tokenizer openTokenizer() {
    return Tokenizer.load(tokenizerFile);
  }

  /** The problems whose prompts leave this model room to answer ({@link ContextFit#prompts}). */
  /**
   * The first {@code max} problems of {@code dataset} (0 = all) whose zero-shot prompts fit the
   * model's context (the others named, or skipped under failOnBadRecord=false): the questions
   * or eval problems of an on-policy job.
   */
  List<Problem> zeroShotHead(DatasetSpec dataset, int max) {
    ProblemSet set = Datasets.load(dataset);
    List<Problem> problems = set.problems();
    if (max > 0 && problems.size() > max) {
      problems = problems.subList(0, max);
    }
    return fittingPrompts(problems, set.source(), PromptFormat.zeroShot(),
        dataset.failOnBadRecord()).problems();
  }

  ContextFit.Fitted fittingPrompts(List<Problem> problems, String source, PromptFormat format,
      boolean failOnBadRecord) {
    try (Tokenizer tokenizer = openTokenizer()) {
      return ContextFit.prompts(problems, source, tokenizer, format,
          config.maxPositionEmbeddings(), failOnBadRecord);
    }
  }

  /** The problems this model can be trained on ({@link ContextFit#examples}). */
  ContextFit.Fitted fittingExamples(List<Problem> problems, String source,
      boolean failOnBadRecord) {
    try (Tokenizer tokenizer = openTokenizer()) {
      return ContextFit.examples(problems, source, tokenizer, config.maxPositionEmbeddings(),
          failOnBadRecord);
    }
  }
}
