package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version 2 on disk and through {@link DatasetSpec}/{@link Datasets}, beside version 1. */
class SyntheticV2FilesTest {

  private static final SyntheticV2Options SMALL =
      SyntheticV2Options.defaults().withSizes(300, 50, 100);

  @TempDir Path dir;

  @Test
  void writtenSplitsAreReadBackUnchangedAndTheDescriptionNamesVersionTwo() throws IOException {
    SyntheticBenchmarkV2 benchmark = new SyntheticBenchmarkV2(SMALL);
    SyntheticFiles.WrittenV2 written = SyntheticFiles.write(benchmark, dir);
    SyntheticBenchmarkV2.Splits splits = benchmark.generate();
    for (String split : List.of("train", "validation", "test")) {
      assertEquals(splits.problems(split),
          Datasets.load(new DatasetSpec(DatasetSpec.SYNTHETIC_V2, dir, split, true)).problems(),
          split);
    }
    assertEquals(splits.problems("validation"), Gsm8k.load(written.validation()).problems());
    JsonNode description = new ObjectMapper().readTree(written.description().toFile());
    assertEquals("synthetic-v2", description.get("generator").asText());
    assertEquals(300, description.get("options").get("questions").get("trainSize").asInt());
    assertEquals(50, description.get("options").get("validationSize").asInt());
    assertEquals(50, description.get("validation").asInt());
    assertEquals(450, description.get("tokens").get("count").asInt());
    assertTrue(description.get("tokens").get("max").asInt() <= 160);
    int counted = 0;
    for (JsonNode n : description.get("pathsPerQuestion")) {
      counted += n.asInt();
    }
    assertEquals(450, counted);
    assertArrayEquals(Files.readAllBytes(written.tokenizer()),
        Files.readAllBytes(writeV1(dir.resolve("v1")).resolve(SyntheticFiles.TOKENIZER_FILE)),
        "version 2 uses version 1's tokenizer");
  }

  @Test
  void aDirectoryIsReadOnlyUnderTheNameOfTheGeneratorThatWroteIt() throws IOException {
    Path v2 = dir.resolve("v2");
    SyntheticFiles.write(new SyntheticBenchmarkV2(SMALL), v2);
    Path v1 = writeV1(dir.resolve("v1"));
    IllegalArgumentException asV1 = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(new DatasetSpec(DatasetSpec.SYNTHETIC, v2, "train", true)));
    assertTrue(asV1.getMessage().contains("written by generator synthetic-v2"),
        asV1.getMessage());
    IllegalArgumentException asV2 = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(new DatasetSpec(DatasetSpec.SYNTHETIC_V2, v1, "train", true)));
    assertTrue(asV2.getMessage().contains("written by generator synthetic-v1"),
        asV2.getMessage());
    assertEquals(200, Datasets.load(new DatasetSpec(DatasetSpec.SYNTHETIC, v1, "train", true))
        .size());
  }

  @Test
  void theVersionIsPartOfTheDatasetIdentityAndSyntheticStillMeansVersionOne() {
    // Run identities (org.reasonrl.job.SpecIdentity) compare specs as JSON, field by field.
    ObjectMapper json = new ObjectMapper();
    JsonNode v1 = json.valueToTree(DatasetSpec.synthetic("train"));
    JsonNode v2 = json.valueToTree(DatasetSpec.syntheticV2("train"));
    assertEquals("synthetic", v1.get("name").asText());
    assertEquals("synthetic-v2", v2.get("name").asText());
    assertNotEquals(v1, v2);
    assertEquals(DatasetSpec.SYNTHETIC_V2, new DatasetSpec(" Synthetic-V2 ", null, "Train", true)
        .name());

    ProblemSet v1Test = Datasets.load(DatasetSpec.synthetic("test"));
    assertEquals("synthetic/test", v1Test.source());
    assertEquals("synthetic-test-00000", v1Test.problems().get(0).id());
    ProblemSet validation = Datasets.load(DatasetSpec.syntheticV2("validation"));
    assertEquals("synthetic-v2/validation", validation.source());
    assertEquals(500, validation.size());
    assertEquals("synthetic-v2-validation-00000", validation.problems().get(0).id());

    IllegalArgumentException noValidation = assertThrows(IllegalArgumentException.class,
        () -> DatasetSpec.synthetic("validation"));
    assertTrue(noValidation.getMessage().contains("no validation split"),
        noValidation.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Datasets.generated(SyntheticOptions.defaults(), "validation"));
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.syntheticV2("dev"));
  }

  private static Path writeV1(Path v1) throws IOException {
    SyntheticFiles.write(new SyntheticBenchmark(SyntheticOptions.defaults().withSizes(200, 50)),
        v1);
    return v1;
  }
}
