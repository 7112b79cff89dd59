package org.reasonrl.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SVAMP json: one array of {@code {ID, Body, Question, Equation, Answer, Type}}. The problem text
 * is {@code Body + " " + Question}; the float {@code Answer} ({@code 51.0}) becomes the gold
 * answer {@code 51}. SVAMP has no worked solution. A file that is not a JSON array (or not
 * UTF-8) is refused naming the line and column; a bad element stops the load, or with
 * {@code failOnBadRecord=false} is skipped, logged and counted.
 */
public final class Svamp {

  private static final Logger LOG = LoggerFactory.getLogger(Svamp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Svamp() {}

  public static ProblemSet load(Path file) throws IOException {
    return load(file, true);
  }

  public static ProblemSet load(Path file, boolean failOnBadRecord) throws IOException {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? ""
          : " line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = e.getOriginalMessage();
      throw new IllegalArgumentException(file + where + ": " + (why.contains("UTF-8")
          ? why + "; save the file as UTF-8" : "not valid JSON: " + why), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(file + " must hold a JSON array of SVAMP problems");
    }
    String stem = Gsm8k.stem(file);
    List<Problem> problems = new ArrayList<>();
    List<SkippedRecord> skipped = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      try {
        problems.add(parse(root.get(i), stem + "-" + i));
      } catch (IllegalArgumentException e) {
        SkippedRecord bad = new SkippedRecord(file.toString(), "index " + i, e.getMessage());
        if (failOnBadRecord) {
          throw new MalformedRecordException(bad, e);
        }
        LOG.warn("skipping malformed record in {}", bad);
        skipped.add(bad);
      }
    }
    if (!skipped.isEmpty()) {
      LOG.warn("{}: skipped {} malformed record(s), kept {}", file, skipped.size(), problems.size());
    }
    return new ProblemSet(file.toString(), problems, skipped);
  }

  private static Problem parse(JsonNode node, String defaultId) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String body = text(node, "Body");
    String question = text(node, "Question");
    JsonNode answer = node.get("Answer");
    if (answer == null || answer.isNull()) {
      throw new IllegalArgumentException("missing field \"Answer\"");
    }
    BigDecimal value;
    if (answer.isNumber()) {
      value = answer.decimalValue();
    } else if (answer.isTextual() && Answers.numericValue(answer.asText()) != null) {
      value = Answers.numericValue(answer.asText());
    } else {
      throw new IllegalArgumentException("field \"Answer\" is not a number: " + answer);
    }
    JsonNode id = node.get("ID");
    String problemId = id != null && id.isValueNode() && !id.isNull() ? id.asText() : defaultId;
    return new Problem(problemId, body + " " + question, null, Answers.canonical(value.toPlainString()));
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
}
