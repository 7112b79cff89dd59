package org.reasonrl.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Who holds a run directory's {@code .lock}: the goal, the process id, the host (a directory on
 * a shared file system may be locked from another machine) and since when. Written as one JSON
 * line; an older lock holding only a pid is read as that pid.
 *
 * @param goal the goal's name, or {@code null} if the holder named none
 * @param pid the holder's process id
 * @param host the holder's host name, or {@code null} if unknown
 * @param since when it took the lock (ISO-8601, UTC), or {@code null} if unknown
 */
public record LockHolder(String goal, long pid, String host, String since) {

  private static final String HOST = hostName();

  /** This process, holding the lock for {@code goal} from now. */
  static LockHolder current(String goal) {
    return new LockHolder(goal, ProcessHandle.current().pid(), HOST,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** This machine's name as {@link #current} records it ({@code null} if unknown). */
  public static String localHost() {
    return HOST;
  }

  /**
   * The holder {@code text} names (a {@link #toText} line, or a bare pid), or empty for an
   * empty file (the holder closed cleanly) or text that names none.
   */
  static Optional<LockHolder> parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    if (trimmed.chars().allMatch(Character::isDigit)) {
      return Optional.of(new LockHolder(null, Long.parseLong(trimmed), null, null));
    }
    try {
      JsonNode node = Json.mapper().readTree(trimmed);
      if (node == null || !node.path("pid").canConvertToLong()) {
        return Optional.empty();
      }
      return Optional.of(new LockHolder(node.path("goal").asText(null),
          node.path("pid").asLong(), node.path("host").asText(null),
          node.path("since").asText(null)));
    } catch (JsonProcessingException notJson) {
      return Optional.empty();
    }
  }

  /** The one JSON line {@code .lock} holds. */
  String toText() {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("goal", goal);
    node.put("pid", pid);
    node.put("host", host);
    node.put("since", since);
    try {
      return Json.mapper().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * For messages: {@code goal sft (pid 4242) on host runner-3 since 2026-01-01T10:00:00Z};
   * what is unknown is left out.
   */
  public String describe() {
    return (goal == null ? "another running goal" : "goal " + goal) + " (pid " + pid + ")"
        + (host == null ? "" : " on host " + host) + (since == null ? "" : " since " + since);
  }

  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name != null && !name.isBlank()) {
      return name.trim();
    }
    try {
      String etc = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
      if (!etc.isEmpty()) {
        return etc;
      }
    } catch (IOException | RuntimeException none) {
      // not Linux, or unreadable: ask the resolver
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException unknown) {
      return null;
    }
  }
}
