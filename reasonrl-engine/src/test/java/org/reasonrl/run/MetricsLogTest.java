package org.reasonrl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

  @TempDir
  Path temp;

  @Test
  void aTornLastLineFailsReadingByLineNumberAndIsDroppedByTruncate() throws IOException {
    MetricsLog log = new MetricsLog(temp.resolve(MetricsLog.FILE));
    log.append(Map.of("step", 1, "loss", 2.0));
    log.append(Map.of("step", 2, "loss", 1.5));
    Files.writeString(log.file(), "{\"step\":3,\"lo", StandardOpenOption.APPEND);
    IllegalStateException torn = assertThrows(IllegalStateException.class, log::read);
    assertTrue(torn.getMessage().contains("line 3"), torn.getMessage());

    log.truncateAfter(10);
    assertEquals("{\"loss\":2.0,\"step\":1}\n{\"loss\":1.5,\"step\":2}\n",
        Files.readString(log.file()));
  }

  @Test
  void truncateKeepsRecordsWithoutAStepAndSkipsBlankLines() throws IOException {
    MetricsLog log = new MetricsLog(temp.resolve(MetricsLog.FILE));
    log.append(Map.of("event", "start"));
    log.append(Map.of("step", 4));
    Files.writeString(log.file(), "\n", StandardOpenOption.APPEND);
    log.append(Map.of("step", 5));
    log.append(Map.of("event", "validation"));
    log.truncateAfter(4);
    List<JsonNode> records = log.read();
    assertEquals(3, records.size());
    assertEquals("start", records.get(0).get("event").asText());
    assertEquals(4, records.get(1).get("step").asInt());
    assertEquals("validation", records.get(2).get("event").asText());
  }

  @Test
  void aMissingLogReadsEmptyAndTruncatingItCreatesNothing() {
    MetricsLog log = new MetricsLog(temp.resolve(MetricsLog.FILE));
    assertTrue(log.read().isEmpty());
    log.truncateAfter(0);
    assertFalse(Files.exists(log.file()));
  }
}
