package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/** The factories the Maven goals build their specs with. */
class SpecFactoriesTest {

  private static final Path CHECKPOINT = Path.of("policy");
  private static final Path OUTPUT = Path.of("out");

  @Test
  void embeddedModelFitsTheTokenizerPretrainWrites(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizerJson.write(file, SyntheticBenchmark.vocabulary());
    LlamaConfig model = PretrainSpec.embeddedModel(32, 64, 2, 4, 2, 128);
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(tokenizer.vocabSize(), model.vocabSize());
    }
    assertEquals(32, model.hiddenSize());
    assertEquals(2, model.numHiddenLayers());
    assertEquals(128, model.maxPositionEmbeddings());
    // The default size is the embedded default.
    assertEquals(LlamaConfig.embeddedDefault(model.vocabSize()),
        PretrainSpec.embeddedModel(128, 344, 4, 4, 2, 256));
  }

  @Test
  void eiEvaluatesTheTrainingDatasetsTestSplitUnlessToldOtherwise() {
    DatasetSpec gsm8k = new DatasetSpec("gsm8k", Path.of("gsm"), "train", false);
    assertEquals(new DatasetSpec("gsm8k", Path.of("gsm"), "test", false),
        EiSpec.evalDataset(gsm8k, null, null));
    // Nothing named: the same as the canonical constructor's own default.
    EiSpec defaulted = EiSpec.defaults(CHECKPOINT, OUTPUT);
    EiSpec withNull = new EiSpec(CHECKPOINT, gsm8k, null, OUTPUT, 1, 0,
        RolloutSpec.of(2, 0.7, 10, 4), false, null, 0.5, defaulted.optimization(), null, false, 0,
        RolloutSpec.of(2, 0.7, 10, 4), 0, 1);
    assertEquals(withNull.evalDataset(), EiSpec.evalDataset(gsm8k, null, null));
    // Another file of the same dataset; the same dataset named explicitly keeps the path.
    assertEquals(Path.of("other"), EiSpec.evalDataset(gsm8k, null, Path.of("other")).path());
    assertEquals(Path.of("gsm"), EiSpec.evalDataset(gsm8k, "GSM8K", null).path());
  }

  @Test
  void anotherEvalDatasetNeverBorrowsTheTrainingPath() {
    DatasetSpec gsm8k = new DatasetSpec("gsm8k", Path.of("gsm"), "train", true);
    DatasetSpec svamp = EiSpec.evalDataset(gsm8k, "svamp", Path.of("SVAMP.json"));
    assertEquals(new DatasetSpec("svamp", Path.of("SVAMP.json"), "test", true), svamp);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EiSpec.evalDataset(gsm8k, "svamp", null));
    assertTrue(e.getMessage().contains("svamp needs a path"), e.getMessage());
    assertNull(EiSpec.evalDataset(gsm8k, "synthetic", null).path());
  }

  @Test
  void evalDefaultsAreEightSamplesAtPointSevenOnTheTestSplit() {
    EvalSpec d = EvalSpec.defaults(CHECKPOINT, OUTPUT);
    assertEquals(DatasetSpec.synthetic("test"), d.dataset());
    assertEquals(8, d.options().k());
    assertEquals(d.options().k(), d.options().samples());
    assertEquals(0.7, d.options().temperature());
    assertEquals(160, d.options().maxNewTokens());
    assertEquals(0, d.maxProblems());
    assertNull(d.ormCheckpoint());
  }

  @Test
  void ormSpecComposesTheSharedOptimisationAndItsRules() {
    OrmSpec d = OrmSpec.defaults(CHECKPOINT, DatasetSpec.synthetic("train"), OUTPUT);
    // The shared rules apply: a 6-step run lowers the default warm-up of 20.
    OrmSpec shortRun = new OrmSpec(CHECKPOINT, d.dataset(), 0, RolloutSpec.of(2, 0.7, 40, 8),
        0.25, new Optimization(6, 8, d.optimization().microBatchSize(), 1e-4,
            d.optimization().warmupSteps(), 0.01, 1, 3, 3), false, 1, OUTPUT);
    assertEquals(6, shortRun.optimization().warmupSteps());
    assertEquals(8, shortRun.optimization().microBatchSize());
    JsonNode json = Json.mapper().valueToTree(d);
    assertEquals(0.999, json.at("/optimization/adamBeta2").asDouble());
    assertEquals(8, json.at("/rollout/k").asInt());
  }

}
