package org.reasonrl.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GSM8K jsonl: one object a line, {@code {"question": ..., "answer": ...}} where the answer is a
 * worked solution ending in a line {@code #### N}. The gold answer is N normalised
 * ({@code #### 1,000} gives {@code 1000}). An optional {@code id} field is kept; otherwise the id
 * is the file's stem and the line number ({@code train-12}). Blank lines hold no record and are
 * passed over; every other bad line stops the load, or with {@code failOnBadRecord=false} is
 * skipped, logged and counted.
 */
public final class Gsm8k {

  private static final Logger LOG = LoggerFactory.getLogger(Gsm8k.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Gsm8k() {}

  /** Loads every record; the first malformed one throws {@link MalformedRecordException}. */
  public static ProblemSet load(Path file) throws IOException {
    return load(file, true);
  }

  public static ProblemSet load(Path file, boolean failOnBadRecord) throws IOException {
    String stem = stem(file);
    List<Problem> problems = new ArrayList<>();
    List<SkippedRecord> skipped = new ArrayList<>();
    try (Utf8Lines lines = new Utf8Lines(file)) {
      for (Utf8Lines.Line line; (line = lines.next()) != null; ) {
        int lineNumber = line.number();
        if (line.text() != null && line.text().isBlank()) {
          continue;
        }
        try {
          if (line.text() == null) {
            throw new IllegalArgumentException(line.notUtf8());
          }
          problems.add(parse(line.text(), stem + "-" + lineNumber));
        } catch (IllegalArgumentException | JsonProcessingException e) {
          SkippedRecord bad = new SkippedRecord(file.toString(), "line " + lineNumber, reason(e));
          if (failOnBadRecord) {
            throw new MalformedRecordException(bad, e);
          }
          LOG.warn("skipping malformed record in {}", bad);
          skipped.add(bad);
        }
      }
    }
    if (!skipped.isEmpty()) {
      LOG.warn("{}: skipped {} malformed record(s), kept {}", file, skipped.size(), problems.size());
    }
    return new ProblemSet(file.toString(), problems, skipped);
  }

  private static Problem parse(String line, String defaultId) throws JsonProcessingException {
    JsonNode node = JSON.readTree(line);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String question = text(node, "question");
    String solution = text(node, "answer");
    if (question.isBlank()) {
      throw new IllegalArgumentException("empty \"question\"");
    }
    String gold = Answers.finalAnswerOfSolution(solution);
    if (gold == null) {
      throw new IllegalArgumentException("\"answer\" has no final '#### N' line");
    }
    if (Answers.numericValue(gold) == null) {
      throw new IllegalArgumentException("final answer '" + gold + "' is not a number");
    }
    JsonNode id = node.get("id");
    return new Problem(
        id != null && id.isTextual() ? id.asText() : defaultId, question, solution, gold);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field \"" + field + "\" is not a string");
    }
    return value.asText();
  }

  /**
   * Writes problems as GSM8K jsonl ({@code id}, {@code question}, {@code answer}), readable by
   * {@link #load}. Every problem needs a reference solution.
   */
  public static void write(Path file, Collection<Problem> problems) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Problem p : problems) {
        if (p.referenceSolution() == null) {
          throw new IllegalArgumentException(
              "problem " + p.id() + " has no reference solution; GSM8K format needs one");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("id", p.id());
        node.put("question", p.question());
        node.put("answer", p.referenceSolution());
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
      }
    }
  }

  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  static String reason(Exception e) {
    if (e instanceof JsonProcessingException j) {
      return "invalid JSON: " + j.getOriginalMessage();
    }
    return e.getMessage();
  }
}
