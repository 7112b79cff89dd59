package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.run.Json;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

class PretrainTest {

  @TempDir
  Path temp;

  @BeforeAll
  static void engine() {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 42));
  }

  private PretrainSpec tiny(Path output, long steps) throws Exception {
    Path tokenizerFile = temp.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(tokenizerFile, SyntheticBenchmark.vocabulary());
    int vocab;
    try (Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      vocab = tokenizer.vocabSize();
    }
    return new PretrainSpec(output, LlamaConfig.of(32, 64, 2, 4, 2, vocab, 256, false), 200,
        new Optimization(steps, 8, 8, 3e-3, 2, 0.0, 1.0, 2, 4), 7);
  }

  @Test
  void publishesItsModelRecordsTheRunAndRefusesAChangedSpec() throws Exception {
    Path out = temp.resolve("pretrain");
    Pretrain.Result result = new Pretrain(tiny(out, 6)).run(line -> { });
    assertEquals(out.resolve("model"), result.model());
    assertTrue(Files.isRegularFile(result.model().resolve(Checkpoint.WEIGHTS)));
    JsonNode record = Json.mapper().readTree(out.resolve("run.json").toFile());
    assertEquals("pretrain", record.get("goal").asText());
    assertEquals("finished", record.get("status").asText());
    JsonNode spec = Json.mapper().readTree(out.resolve("spec.json").toFile());
    assertEquals(6, spec.at("/spec/optimization/steps").asLong());

    // The same spec returns the finished result; the weights are not rewritten.
    byte[] weights = Files.readAllBytes(result.model().resolve(Checkpoint.WEIGHTS));
    List<String> log = new ArrayList<>();
    Pretrain.Result again = new Pretrain(tiny(out, 6)).run(log::add);
    assertEquals(result.training(), again.training());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("pretrain already finished")),
        log.toString());
    assertArrayEquals(weights, Files.readAllBytes(again.model().resolve(Checkpoint.WEIGHTS)));

    // More steps on the finished output is another run: refused, the field named.
    SpecMismatchException refused = assertThrows(SpecMismatchException.class,
        () -> new Pretrain(tiny(out, 8)).run(line -> { }));
    assertEquals(List.of("spec.optimization.steps: 6 → 8"), refused.differences());
  }

  /**
   * The kill points a forked test cannot hit on purpose: after the last checkpoint, while the
   * model is published ({@code model.tmp/} half written), before {@code result.json}. The rerun
   * publishes the same weights and reports the same final loss.
   */
  @Test
  void aRunKilledWhilePublishingItsModelPublishesTheSameOne() throws Exception {
    Path out = temp.resolve("publish");
    Pretrain.Result result = new Pretrain(tiny(out, 6)).run(line -> { });
    byte[] weights = Files.readAllBytes(result.model().resolve(Checkpoint.WEIGHTS));
    Files.delete(out.resolve("result.json"));
    Files.move(result.model(), out.resolve("model.tmp"));
    Files.write(out.resolve("model.tmp").resolve(Checkpoint.WEIGHTS), new byte[] {1, 2, 3});
    Pretrain.Result again = new Pretrain(tiny(out, 6)).run(line -> { });
    assertArrayEquals(weights, Files.readAllBytes(again.model().resolve(Checkpoint.WEIGHTS)));
    assertEquals(result.training().finalLoss(), again.training().finalLoss(), 0.0);
    assertEquals(6, again.training().resumedFromStep());
    assertTrue(Files.notExists(out.resolve("model.tmp")));
  }
}
