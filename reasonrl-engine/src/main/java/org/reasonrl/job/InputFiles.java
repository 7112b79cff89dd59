package org.reasonrl.job;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * {@code inputs.json}: what was at the paths a run started from. {@code spec.json} names inputs
 * by path; a checkpoint retrained in place or an edited dataset keeps its path, and a rerun would
 * then continue (or return) work made from the old bytes while its record named the new. Every
 * {@link Path} in a job's identity but the output is an input: a file, or a directory whose
 * regular files (hidden ones aside) are. Each file is kept by size, modification time and
 * SHA-256; a rerun compares sizes and times and hashes only a file whose time moved (a copy or a
 * touch of the same bytes is the same input).
 */
final class InputFiles {

  static final String FILE = "inputs.json";

  /** One input file as first seen. */
  record Fingerprint(long size, long modifiedMillis, String sha256) {}

  private InputFiles() {}

  /** Records the inputs of a new run. */
  static void record(RunDirectory run, Object identity) {
    Map<String, Map<String, Fingerprint>> inputs = new LinkedHashMap<>();
    inputsOf(identity).forEach((field, path) -> {
      Map<String, Fingerprint> files = new TreeMap<>();
      for (Path file : files(path)) {
        files.put(file.toString(), fingerprint(file, null));
      }
      inputs.put(field, files);
    });
    run.writeJson(FILE, inputs);
  }

  /**
   * Checks that the inputs are what the run started from; a run recorded before inputs were
   * kept is not checked.
   *
   * @throws SpecMismatchException naming each field and file that differs
   */
  static void check(RunDirectory run, String goal, Object identity) {
    Path file = run.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Map<String, Map<String, Fingerprint>> recorded;
    try {
      recorded = Json.mapper().readValue(file.toFile(), new TypeReference<>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("run directory " + run.root() + ": " + FILE
          + " is unreadable (" + e.getMessage() + "); choose another output directory", e);
    }
    List<String> differences = new ArrayList<>();
    boolean touched = false;
    for (Map.Entry<String, Path> input : inputsOf(identity).entrySet()) {
      String field = input.getKey();
      Map<String, Fingerprint> then = recorded.getOrDefault(field, Map.of());
      Set<String> names = new LinkedHashSet<>(then.keySet());
      Map<String, Path> now = new HashMap<>();
      for (Path f : files(input.getValue())) {
        now.put(f.toString(), f);
        names.add(f.toString());
      }
      for (String name : names) {
        Fingerprint was = then.get(name);
        Path current = now.get(name);
        if (current == null) {
          differences.add(field + ": " + name + " removed");
        } else if (was == null) {
          differences.add(field + ": " + name + " added");
        } else {
          Fingerprint is = fingerprint(current, was);
          if (is.size() != was.size()) {
            differences.add(field + ": " + name + " changed (size " + was.size() + " → "
                + is.size() + " bytes)");
          } else if (!is.sha256().equals(was.sha256())) {
            differences.add(field + ": " + name + " changed (sha256 " + abbreviated(was)
                + " → " + abbreviated(is) + ")");
          } else if (is.modifiedMillis() != was.modifiedMillis()) {
            then.put(name, is);
            touched = true;
          }
        }
      }
    }
    if (!differences.isEmpty()) {
      throw new SpecMismatchException("output directory " + run.root() + " holds a " + goal
          + " run started from other inputs:\n  " + String.join("\n  ", differences)
          + "\nits checkpoints and results come from the inputs it started from: restore them,"
          + " or choose another output directory", differences);
    }
    if (touched) {
      run.writeJson(FILE, recorded); // the same bytes under a new time: hash them once
    }
  }

  /** Every path in the identity but its top-level output, by field ({@code spec.checkpoint}). */
  static Map<String, Path> inputsOf(Object identity) {
    Map<String, Path> inputs = new LinkedHashMap<>();
    collect("spec", identity, inputs, true);
    return inputs;
  }

  private static void collect(String field, Object value, Map<String, Path> out, boolean top) {
    if (value instanceof Path path) {
      out.put(field, path.toAbsolutePath().normalize());
    } else if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collect(field + "[" + i++ + "]", item, out, false);
      }
    } else if (value != null && value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        if (top && component.getName().equals("output")) {
          continue;
        }
        try {
          var accessor = component.getAccessor();
          accessor.setAccessible(true);
          collect(field + "." + component.getName(), accessor.invoke(value), out, false);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + field + "." + component.getName(), e);
        }
      }
    }
  }

  private static List<Path> files(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input " + path, e);
    }
  }

  /** The file's fingerprint; its hash is {@code known}'s when size and time are unchanged. */
  private static Fingerprint fingerprint(Path file, Fingerprint known) {
    try {
      long size = Files.size(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (known != null && (known.size() != size || known.modifiedMillis() == modified)) {
        return new Fingerprint(size, modified, known.sha256());
      }
      return new Fingerprint(size, modified, sha256(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input " + file, e);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return java.util.HexFormat.of().formatHex(digest.digest());
  }

  private static String abbreviated(Fingerprint f) {
    return f.sha256().substring(0, 12) + "…";
  }
}
