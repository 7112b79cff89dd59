package org.reasonrl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.job.SpecMismatchException;
import org.reasonrl.run.Json;

class GridReportTest {

  @TempDir
  Path dir;

  private Path eval(String name, String result) throws IOException {
    Path file = dir.resolve(name).resolve("eval.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"result\":" + result + ",\"checkpoint\":\"/runs/" + name
        + "\",\"dataset\":\"synthetic/test\",\"seconds\":{\"greedy\":1.5,\"sampling\":2.0},"
        + "\"spec\":{\"options\":{\"temperature\":0.7}},"
        + "\"runtime\":{\"reasonrlVersion\":\"0.1\",\"engineName\":\"PyTorch\"}}");
    return file.getParent();
  }

  @Test
  void rendersOneRowPerMethodWithIntervalsAndDashesForMissingMetrics() throws IOException {
    Path sft = eval("sft", "{\"problems\":1000,\"k\":8,\"samplesPerProblem\":16,\"groups\":2,"
        + "\"problemsWithCorrect\":812,"
        + "\"novelty\":{\"referencedProblems\":1000,\"correctSamples\":400,\"novelSamples\":50,"
        + "\"novelShare\":0.125},"
        + "\"maj1\":{\"value\":0.4123,\"ciLow\":0.381,\"ciHigh\":0.4437,\"n\":1000},"
        + "\"majAtK\":{\"value\":0.47,\"ciLow\":0.44,\"ciHigh\":0.5,\"n\":1000},"
        + "\"passAtK\":{\"value\":0.72,\"ciLow\":0.69,\"ciHigh\":0.75,\"n\":1000},"
        + "\"meanDistinctCorrect\":2.5,\"meanPairwiseEditDistance\":3.25}");
    Path ei = eval("ei", "{\"problems\":1000,\"k\":8,\"samplesPerProblem\":8,"
        + "\"majAtK\":{\"value\":0.55,\"ciLow\":0.52,\"ciHigh\":0.58,\"n\":1000},"
        + "\"passAtK\":{\"value\":0.8,\"ciLow\":0.77,\"ciHigh\":0.83,\"n\":1000},"
        + "\"rerankAtK\":{\"value\":0.64,\"ciLow\":0.61,\"ciHigh\":0.67,\"n\":1000},"
        + "\"meanDistinctCorrect\":1.0}");
    Path out = GridReport.render("Tiny grid <b>",
        List.of(new ReportEntry("SFT", sft), ReportEntry.parse("EI_2 <x>=ei", dir)),
        dir.resolve("report/index.html"));

    String html = Files.readString(out);
    assertTrue(html.contains("<title>Tiny grid &lt;b&gt;</title>"), "title escaped");
    assertTrue(html.contains("EI_2 &lt;x&gt;"), "labels escaped");
    assertFalse(html.contains("<x>"));
    // SFT: maj@1 0.412 [0.381, 0.444]; EI has no maj@1 (dash) but a rerank@K.
    assertTrue(html.contains("<td>0.412<span class=\"ci\">[0.381, 0.444]</span></td>"), html);
    assertTrue(html.contains("<td>0.640<span class=\"ci\">[0.610, 0.670]</span></td>"), html);
    assertEquals(2, count(html, "<td class=\"absent\">&ndash;</td>"), "SFT rerank and EI maj@1");
    assertTrue(html.contains("2.50 distinct correct, edit distance 3.3 (812 problems with one)"),
        html);
    assertTrue(html.contains("12.5% of 400 correct"), html);
    // SFT's file has the disjoint groups; EI's (written before them) has none: first K.
    assertTrue(html.contains("<td>2 disjoint groups of K</td>"), html);
    assertTrue(html.contains("<td>first K</td>"), html);
    assertTrue(html.contains("<td>1.00 distinct correct</td><td>&ndash;</td>"), html);
    assertTrue(html.contains("3.5 s"), html);
    assertTrue(html.indexOf(">SFT<") < html.indexOf(">EI_2"), "rows keep the given order");
  }

  @Test
  void missingOrForeignFilesAreClearErrors() throws IOException {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> GridReport.render("t", List.of(new ReportEntry("SFT", dir.resolve("nope"))),
            dir.resolve("r.html")));
    assertTrue(missing.getMessage().contains("SFT"), missing.getMessage());
    Files.writeString(dir.resolve("other.json"), "{\"loss\": 1}");
    assertThrows(IllegalArgumentException.class, () -> GridReport.render("t",
        List.of(new ReportEntry("x", dir.resolve("other.json"))), dir.resolve("r.html")));
    assertThrows(IllegalArgumentException.class, () -> ReportEntry.parse("no-equals", dir));
    assertFalse(Files.exists(dir.resolve("r.html")));
  }

  @Test
  void theReportGoalRecordsItsRunRendersEveryTimeAndRefusesOtherRowsOnItsDirectory()
      throws IOException {
    Path sft = eval("sft", "{\"problems\":10,\"k\":4,\"samplesPerProblem\":4,"
        + "\"maj1\":{\"value\":0.5,\"ciLow\":0.2,\"ciHigh\":0.8,\"n\":10},"
        + "\"passAtK\":{\"value\":0.7,\"ciLow\":0.4,\"ciHigh\":0.9,\"n\":10}}");
    Path page = dir.resolve("report/index.html");
    Report.Result first = new Report("t", List.of(new ReportEntry("SFT", sft)), page)
        .run(line -> { });
    assertEquals(new Report.Result(page, 1), first);
    JsonNode record = Json.mapper().readTree(dir.resolve("report/run.json").toFile());
    assertEquals("report", record.get("goal").asText());
    assertEquals("finished", record.get("status").asText());
    Files.delete(page);
    new Report("t", List.of(new ReportEntry("SFT", sft)), page).run(line -> { });
    assertTrue(Files.isRegularFile(page), "rendered again");
    SpecMismatchException other = assertThrows(SpecMismatchException.class,
        () -> new Report("t2", List.of(new ReportEntry("SFT", sft)), page).run(line -> { }));
    assertEquals(List.of("spec.title: \"t\" → \"t2\""), other.differences());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new Report("t", List.of(new ReportEntry("EI", dir.resolve("nope"))),
            dir.resolve("elsewhere/index.html")).run(line -> { }));
    assertTrue(missing.getMessage().contains("no evaluation at"), missing.getMessage());
    assertFalse(Files.exists(dir.resolve("elsewhere")), "nothing written for bad input");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
