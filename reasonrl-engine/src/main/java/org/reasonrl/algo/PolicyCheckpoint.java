package org.reasonrl.algo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.text.Tokenizer;

/**
 * A checked model checkpoint a job starts from: config.json readable, tokenizer.json present and
 * no larger than the model's vocabulary. Every job checks its checkpoints this one way, before
 * its output directory is touched.
 */
record PolicyCheckpoint(Path dir, LlamaConfig config, Path tokenizerFile) {

  static PolicyCheckpoint check(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    LlamaConfig config = Checkpoint.readConfig(absolute);
    Path tokenizerFile = absolute.resolve(Checkpoint.TOKENIZER);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new CheckpointException("checkpoint " + absolute + " has no " + Checkpoint.TOKENIZER);
    }
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new CheckpointException("checkpoint " + absolute + ": tokenizer.json has "
            + tokenizer.vocabSize() + " tokens but config.json's vocab_size is "
            + config.vocabSize());
      }
    }
    return new PolicyCheckpoint(absolute, config, tokenizerFile);
  }

  Tokenizer openTokenizer() {
    return Tokenizer.load(tokenizerFile);
  }
}
