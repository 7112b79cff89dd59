package org.reasonrl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * {@code spec.json}: what a run directory's run is. The first run writes it; every rerun must
 * match it, or is refused before any work with the differing fields named — so a finished or
 * half-done run is never silently continued, or returned, under another spec.
 */
public final class SpecIdentity {

  public static final String FILE = "spec.json";

  private SpecIdentity() {}

  /** The identity as stored: {@code {"goal": …, "spec": …}} without a top-level output. */
  static JsonNode of(String goal, Object identity) {
    // Through text, so numbers compare by value whatever their Java type.
    JsonNode spec = Json.mapper().valueToTree(identity);
    if (spec instanceof ObjectNode object) {
      object.remove("output");
    }
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("goal", goal);
    node.set("spec", spec);
    try {
      return Json.mapper().readTree(Json.mapper().writeValueAsString(node));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the spec of " + goal, e);
    }
  }

  /** Writes {@code spec.json} on first use, or checks that it matches. */
  static void claim(RunDirectory run, String goal, Object identity) {
    JsonNode wanted = of(goal, identity);
    Path file = run.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      run.writeJson(FILE, wanted);
      return;
    }
    JsonNode existing;
    try {
      existing = Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("run directory " + run.root() + ": " + FILE
          + " is unreadable (" + e.getMessage() + "); choose another output directory", e);
    }
    List<String> differences = differences(existing, wanted);
    if (!differences.isEmpty()) {
      throw new SpecMismatchException("output directory " + run.root() + " holds a "
          + existing.path("goal").asText("?") + " run with other settings:\n  "
          + String.join("\n  ", differences)
          + "\nrerun with the same settings to resume it, or choose another output directory",
          differences);
    }
  }

  /** Field-by-field differences, as {@code path: there → here} lines. */
  static List<String> differences(JsonNode there, JsonNode here) {
    List<String> out = new ArrayList<>();
    collect("", there, here, out);
    return out;
  }

  private static void collect(String path, JsonNode there, JsonNode here, List<String> out) {
    if (there != null && here != null && there.isObject() && here.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      there.fieldNames().forEachRemaining(names::add);
      here.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        collect(path.isEmpty() ? name : path + "." + name, there.get(name), here.get(name), out);
      }
      return;
    }
    if (!equal(there, here)) {
      out.add((path.isEmpty() ? "spec" : path) + ": " + text(there) + " → " + text(here));
    }
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || a.isNull()) {
      return b == null || b.isNull();
    }
    if (a.isNumber() && b != null && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? "(unset)" : node.toString();
  }
}
