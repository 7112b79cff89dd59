package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeInfo;

class RunRecordTest {

  record Spec(String dataset, int steps, double learningRate) {}

  @TempDir
  Path temp;

  @Test
  void recordsVersionsSeedConfigAndStageDurations() throws Exception {
    RuntimeInfo runtime = EngineRuntime.ensureStarted();
    try (RunDirectory run = RunDirectory.open(temp)) {
      RunRecord record = new RunRecord(run, "sft", runtime, 11, new Spec("gsm8k", 100, 1e-4));
      JsonNode early = Json.mapper().readTree(temp.resolve("run.json").toFile());
      assertEquals("running", early.get("status").asText());

      int value = record.stage("train", () -> 42);
      assertEquals(42, value);
      record.recordStage("eval", Duration.ofMillis(1500));
      record.recordStage("eval", Duration.ofMillis(500));
      record.finish("completed");

      JsonNode json = Json.mapper().readTree(temp.resolve("run.json").toFile());
      assertEquals("sft", json.get("goal").asText());
      assertEquals(11, json.get("seed").asLong());
      assertEquals("gsm8k", json.get("config").get("dataset").asText());
      assertEquals(100, json.get("config").get("steps").asInt());
      assertEquals(runtime.djlVersion(), json.get("runtime").get("djlVersion").asText());
      assertEquals(runtime.engineVersion(), json.get("runtime").get("engineVersion").asText());
      assertEquals(2.0, json.get("stageSeconds").get("eval").asDouble(), 1e-9);
      assertTrue(json.get("stageSeconds").has("train"));
      assertEquals("completed", json.get("status").asText());
      assertTrue(json.get("ended").asText().compareTo(json.get("started").asText()) >= 0);
    }
  }
}
