package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersTest {

  @TempDir Path dir;

  private static final String GOOD_1 =
      "{\"question\": \"Natalia\u2019s clips: 48 in April, half as many in May. Total?\", "
          + "\"answer\": \"48/2 = <<48/2=24>>24\\n48+24 = <<48+24=72>>72\\n#### 72\"}";
  private static final String COMMA =
      "{\"question\": \"How much?\", \"answer\": \"500*2 = <<500*2=1000>>1000\\n#### 1,000\"}";
  private static final String NEGATIVE =
      "{\"question\": \"What is 2 - 5?\", \"answer\": \"2-5 = <<2-5=-3>>-3\\n#### -3\"}";

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void gsm8kReadsQuestionsSolutionsAndNormalisedAnswers() throws IOException {
    Path file = write("train.jsonl", GOOD_1, "", COMMA, NEGATIVE);
    ProblemSet set = Gsm8k.load(file);
    assertEquals(3, set.size());
    assertEquals(0, set.skippedCount());
    Problem first = set.problems().get(0);
    assertEquals("train-1", first.id());
    assertTrue(first.question().startsWith("Natalia\u2019s clips"), first.question());
    assertEquals("48/2 = <<48/2=24>>24\n48+24 = <<48+24=72>>72\n#### 72",
        first.referenceSolution());
    assertEquals("72", first.answer());
    assertEquals("1000", set.problems().get(1).answer());
    assertEquals("train-3", set.problems().get(1).id());
    assertEquals("-3", set.problems().get(2).answer());
  }

  /**
   * A Latin-1 line is named (file, line, the byte) as not UTF-8, or skipped and counted; a UTF-8
   * byte-order mark, as editors on Windows write, is dropped, in GSM8K and in SVAMP files.
   */
  @Test
  void latin1LinesAreNamedAndAByteOrderMarkIsDropped() throws IOException {
    Path latin1 = dir.resolve("latin1.jsonl");
    Files.write(latin1, String.join("\n", GOOD_1.replace("\u2019", "'"),
        "{\"question\": \"Ren\u00e9e has 3 pens. How many?\", \"answer\": \"#### 3\"}", COMMA)
        .getBytes(StandardCharsets.ISO_8859_1));
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> Gsm8k.load(latin1));
    assertEquals("line 2", e.record().location());
    assertTrue(e.getMessage().contains(latin1 + " line 2: not UTF-8 (byte 0xE9 at column 18)"),
        e.getMessage());
    ProblemSet kept = Gsm8k.load(latin1, false);
    assertEquals(List.of(2, 1), List.of(kept.size(), kept.skippedCount()));

    Path bom = dir.resolve("bom.jsonl");
    Files.write(bom, ("\uFEFF" + GOOD_1 + "\r\n" + COMMA + "\r\n")
        .getBytes(StandardCharsets.UTF_8));
    ProblemSet withBom = Gsm8k.load(bom);
    assertEquals(2, withBom.size());
    assertTrue(withBom.problems().get(0).question().startsWith("Natalia\u2019s"));
    assertEquals("1000", withBom.problems().get(1).answer());

    String svamp = "[{\"ID\": \"a\", \"Body\": \"Ren\u00e9e has 3 pens.\", \"Question\":"
        + " \"How many?\", \"Answer\": 3.0}]";
    Path svampBom = dir.resolve("SVAMP.json");
    Files.write(svampBom, ("\uFEFF" + svamp).getBytes(StandardCharsets.UTF_8));
    assertEquals("3", Svamp.load(svampBom).problems().get(0).answer());
    Path svampLatin1 = dir.resolve("svamp-latin1.json");
    Files.write(svampLatin1, ("[\n" + svamp.substring(1)).getBytes(StandardCharsets.ISO_8859_1));
    IllegalArgumentException notUtf8 = assertThrows(IllegalArgumentException.class,
        () -> Svamp.load(svampLatin1));
    assertTrue(notUtf8.getMessage().startsWith(svampLatin1 + " line 2, column "),
        notUtf8.getMessage());
    assertTrue(notUtf8.getMessage().contains("UTF-8"), notUtf8.getMessage());
  }

  @Test
  void gsm8kStopsAtTheFirstMalformedLineNamingFileAndLine() throws IOException {
    Path file = write("bad.jsonl", GOOD_1, "{\"question\": \"no answer\"}", COMMA);
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> Gsm8k.load(file));
    assertEquals("line 2", e.record().location());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("missing field \"answer\""), e.getMessage());
  }

  @Test
  void gsm8kSkipsAndCountsEveryKindOfBadRecordWhenAsked() throws IOException {
    Path file = write("mixed.jsonl",
        GOOD_1,
        "{not json",
        "{\"question\": \"q\", \"answer\": \"steps but no final line\"}",
        "[1, 2]",
        "{\"question\": 5, \"answer\": \"#### 5\"}",
        "{\"question\": \"q\", \"answer\": \"#### many\"}",
        NEGATIVE);
    ProblemSet set = Gsm8k.load(file, false);
    assertEquals(2, set.size());
    assertEquals(5, set.skippedCount());
    assertEquals(List.of("line 2", "line 3", "line 4", "line 5", "line 6"),
        set.skipped().stream().map(SkippedRecord::location).toList());
    assertTrue(set.skipped().get(0).reason().startsWith("invalid JSON"));
    assertTrue(set.skipped().get(1).reason().contains("####"));
    assertTrue(set.skipped().get(3).reason().contains("not a string"));
    assertTrue(set.skipped().get(4).reason().contains("not a number"));
  }

  @Test
  void gsm8kWriterRoundTripsThroughTheLoader() throws IOException {
    List<Problem> problems = List.of(
        new Problem("p-1", "Caf\u00e9 \u201cquote\u201d?\nline two", "1+1 = <<1+1=2>>2\n#### 2", "2"),
        new Problem("p-2", "Owe?", "0-4 = <<0-4=-4>>-4\n#### -4", "-4"));
    Path file = dir.resolve("out/round.jsonl");
    Gsm8k.write(file, problems);
    assertEquals(problems, Gsm8k.load(file).problems());
  }

  @Test
  void svampJoinsBodyAndQuestionAndNormalisesFloatAnswers() throws IOException {
    Path file = write("SVAMP.json", "[",
        "{\"ID\": \"chal-1\", \"Body\": \"Each pack costs 76 dollars. A discount of 25 dollars\","
            + " \"Question\": \"How much do you pay?\", \"Equation\": \"( 76.0 - 25.0 )\","
            + " \"Answer\": 51.0, \"Type\": \"Subtraction\"},",
        "{\"ID\": \"chal-2\", \"Body\": \"Dan\u2019s 2.5 kg\", \"Question\": \"Half?\","
            + " \"Answer\": 1.25},",
        "{\"Body\": \"b\", \"Question\": \"q\", \"Answer\": -7.0}",
        "]");
    ProblemSet set = Svamp.load(file);
    assertEquals(3, set.size());
    Problem first = set.problems().get(0);
    assertEquals("chal-1", first.id());
    assertEquals("Each pack costs 76 dollars. A discount of 25 dollars How much do you pay?",
        first.question());
    assertEquals("51", first.answer());
    assertNull(first.referenceSolution());
    assertEquals("1.25", set.problems().get(1).answer());
    assertEquals("Dan\u2019s 2.5 kg Half?", set.problems().get(1).question());
    assertEquals("-7", set.problems().get(2).answer());
    assertEquals("SVAMP-2", set.problems().get(2).id());
  }

  @Test
  void svampReportsBadElementsByIndexAndSkipsThemWhenAsked() throws IOException {
    Path file = write("s.json", "[",
        "{\"Body\": \"b\", \"Question\": \"q\", \"Answer\": 3.0},",
        "{\"Body\": \"b\", \"Answer\": 3.0},",
        "{\"Body\": \"b\", \"Question\": \"q\", \"Answer\": \"three\"},",
        "7",
        "]");
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> Svamp.load(file));
    assertEquals("index 1", e.record().location());
    ProblemSet set = Svamp.load(file, false);
    assertEquals(1, set.size());
    assertEquals(List.of("index 1", "index 2", "index 3"),
        set.skipped().stream().map(SkippedRecord::location).toList());
  }

  @Test
  void svampThatIsNotAnArrayIsAnError() throws IOException {
    Path file = write("o.json", "{\"Body\": \"b\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Svamp.load(file));
    assertTrue(e.getMessage().contains(file.toString()));
  }
}
