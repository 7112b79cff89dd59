package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.SyntheticBenchmark;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.job.JobRunner;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.train.Optimization;

/**
 * The bad-input corpus (issue #14, item 3): malformed checkpoints, configs, tokenizers,
 * datasets, out-of-range parameters and unusable outputs, each run through a goal's real entry
 * point as a user would. Every one must end in one clear message naming the file or parameter,
 * be a user error (reported without a stack trace) and leave nothing in the output directory.
 * A few well-formed oddities (a UTF-8 byte-order mark) must be accepted instead.
 */
class BadInputCorpusTest {

  /** Cheap evaluation settings: greedy plus one sample of up to 4 tokens. */
  private static final EvalOptions EVAL = new EvalOptions(1, 1, 1.0, 1.0, 4, 8, true, 1, 10);
  private static final String GOOD_LINE = "{\"question\": \"Tom has 7 pens. How many pens?\","
      + " \"answer\": \"Tom has 7 pens.\\n#### 7\"}\n";
  private static final String GOOD_SVAMP = "[{\"ID\": \"s1\", \"Body\": \"Tom has 7 pens.\","
      + " \"Question\": \"How many pens?\", \"Answer\": 7.0}]";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @TempDir
  static Path temp;

  private static Path base;
  private static DatasetSpec gsm8k;

  @BeforeAll
  static void fixtures() throws IOException {
    EngineRuntime.ensureStarted();
    base = SupervisedFixtures.tinyCheckpoint(temp.resolve("base"), 3);
    gsm8k = EiFixtures.problems(temp.resolve("gsm8k"));
  }

  /** One attempt of a goal on {@code output}; returns the goal's result. */
  @FunctionalInterface
  interface Attempt {
    Object run(Path output) throws Exception;
  }

  /**
   * One malformed input: {@code expected} are substrings the message must hold (the file or
   * parameter, and the reason); none for an input that must be accepted. {@code output}, when
   * set, is the case's own output path (a file, say), which must be left as it was.
   * {@code knownGap}, when set, says why the case is not handled yet: it is tried and reported,
   * not failed (and fails once it is handled, so that the mark is dropped).
   */
  record Case(String group, String name, List<String> expected, Path output, Attempt attempt,
      String knownGap) {

    Case(String group, String name, List<String> expected, Path output, Attempt attempt) {
      this(group, name, expected, output, attempt, null);
    }

    boolean mustAccept() {
      return expected.isEmpty();
    }
  }

  private final List<Case> cases = new ArrayList<>();

  private void refused(String group, String name, Attempt attempt, String... expected) {
    cases.add(new Case(group, name, List.of(expected), null, attempt));
  }

  private void accepted(String group, String name, Attempt attempt) {
    cases.add(new Case(group, name, List.of(), null, attempt));
  }

  /** Marks the case added last as a known gap, saying why it is not fixed here. */
  private void knownGap(String why) {
    Case c = cases.remove(cases.size() - 1);
    cases.add(new Case(c.group(), c.name(), c.expected(), c.output(), c.attempt(), why));
  }

  @Test
  void everyBadInputEndsInOneClearUserErrorAndLeavesNothingBehind() throws Exception {
    long start = System.nanoTime();
    safetensors();
    configs();
    tokenizers();
    gsm8kFiles();
    svampFiles();
    datasetNames();
    parameters();
    outputs();

    List<String> problems = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    int refused = 0;
    int accepted = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String label = c.group() + ": " + c.name();
      Path output = c.output() != null ? c.output()
          : temp.resolve("out").resolve(String.format("%02d", i));
      Files.createDirectories(temp.resolve("out"));
      byte[] before = Files.isRegularFile(output) ? Files.readAllBytes(output) : null;
      Throwable error = null;
      try {
        c.attempt().run(output);
      } catch (Throwable e) {
        error = e;
      }
      String problem = c.mustAccept() ? acceptedProblem(error, output)
          : refusedProblem(c, error, output, before);
      if (c.knownGap() != null) {
        if (problem == null) {
          problems.add(label + ": handled now; drop its knownGap mark");
        } else {
          gaps.add(label + ": " + problem + " [known gap: " + c.knownGap() + "]");
        }
      } else if (problem != null) {
        problems.add(label + ": " + problem);
      } else if (c.mustAccept()) {
        accepted++;
      } else {
        refused++;
      }
    }
    System.out.printf("bad-input corpus: %d cases tried, %d refused clearly, %d accepted as they"
        + " should be, %d known gaps, %d not handled (%.1f s)%n", cases.size(), refused,
        accepted, gaps.size(), problems.size(), (System.nanoTime() - start) / 1e9);
    gaps.forEach(g -> System.out.println("  known gap: " + g));
    problems.forEach(p -> System.out.println("  not handled: " + p));
    assertTrue(cases.size() - accepted >= 40, "at least 40 bad inputs: " + cases.size());
    assertEquals(List.of(), problems);
  }

  private static String acceptedProblem(Throwable error, Path output) {
    if (error != null) {
      return "refused a well-formed input: " + error;
    }
    return Files.isRegularFile(output.resolve("eval.json")) ? null : "wrote no eval.json";
  }

  /** Null if the case was refused as it must be, else what went wrong. */
  private static String refusedProblem(Case c, Throwable error, Path output, byte[] before)
      throws IOException {
    if (error == null) {
      return "accepted silently";
    }
    String message = String.valueOf(error.getMessage());
    List<String> wrong = new ArrayList<>();
    if (!JobRunner.isUserError(error)) {
      wrong.add("not a user error (" + error.getClass().getName() + ")");
    }
    for (String part : c.expected()) {
      if (!message.contains(part)) {
        wrong.add("message lacks '" + part + "'");
      }
    }
    // One clear message: short, no Jackson source dump, no nested exception names.
    if (message.length() > 600) {
      wrong.add("message of " + message.length() + " characters");
    }
    if (message.contains("Source: ") || message.contains("Exception:")) {
      wrong.add("message quotes a parser's internals");
    }
    String left = leftBehind(output, before);
    if (left != null) {
      wrong.add(left);
    }
    return wrong.isEmpty() ? null : String.join("; ", wrong) + " — " + error;
  }

  /** What the refused attempt left at its output, or null if nothing. */
  private static String leftBehind(Path output, byte[] before) throws IOException {
    if (before != null) {
      return Files.isRegularFile(output) && Arrays.equals(before, Files.readAllBytes(output))
          ? null : "the output file " + output + " was changed";
    }
    if (!Files.exists(output)) {
      return null;
    }
    try (Stream<Path> files = Files.list(output)) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      return names.isEmpty() ? null : "left " + names + " in the output directory";
    }
  }

  // ---------------------------------------------------------------- goals

  private static Object eval(Path checkpoint, DatasetSpec data, Path output) {
    return new Evaluation(new EvalSpec(checkpoint, data, 0, 0, null, EVAL, output))
        .run(line -> { });
  }

  private static Object eval(Path checkpoint, Path output) {
    return eval(checkpoint, gsm8k.withSplit("test"), output);
  }

  private static Object evalOn(DatasetSpec data, Path output) {
    return eval(base, data, output);
  }

  private static Object sft(Optimization optimization, int evalEvery, int validation,
      Path output) {
    return new Sft(new SftSpec(base, gsm8k, output, 0, validation, optimization, evalEvery, 0,
        RolloutSpec.of(1, 1.0, 4, 8), 1)).run(line -> { });
  }

  private static Optimization optimization(long steps, int batch, int micro, double lr,
      long warmup, double beta1) {
    return new Optimization(steps, batch, micro, lr, warmup, 0.0, 1.0, 1, 10, beta1, 0.95);
  }

  private static Object ei(RolloutSpec rollout, int rounds, boolean control, Path orm,
      double threshold, Path output) {
    return new ExpertIteration(new EiSpec(base, gsm8k, gsm8k.withSplit("test"), output, rounds,
        0, rollout, false, orm, threshold, new Optimization(2, 2, 2, 1e-4, 0, 0.0, 1.0, 1, 5),
        null, control, 0, RolloutSpec.of(1, 1.0, 4, 8), 0, 1)).run(line -> { });
  }

  private static Object ppo(PpoSpec spec) {
    return new PolicyOptimization(spec, PpoFixtures.evenTokens()).run(line -> { });
  }

  private static PpoSpec ppoSpec(Path output) {
    return PpoFixtures.spec(base, gsm8k, output, "gae", 1, 1e-3);
  }

  private static PpoSpec.PolicyLoss loss(int epochs, double clip, double gamma, double lambda) {
    return new PpoSpec.PolicyLoss(epochs, clip, clip, "", "shared", 0.2, 0.5, 0.0, gamma,
        lambda, false);
  }

  private static Object orm(double heldOutShare, RolloutSpec rollout, Path output) {
    return new OrmTraining(new OrmSpec(base, gsm8k, 0, rollout, heldOutShare,
        new Optimization(2, 2, 2, 1e-3, 0, 0.0, 1.0, 1, 5), false, 1, output)).run(line -> { });
  }

  // ---------------------------------------------------------------- inputs

  /** A copy of the good checkpoint under {@code name}, then {@code corrupt} applied to it. */
  private static Path checkpoint(String name, IoAction corrupt) throws IOException {
    Path dir = temp.resolve("checkpoints").resolve(name);
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(base)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    corrupt.apply(dir);
    return dir;
  }

  @FunctionalInterface
  interface IoAction {
    void apply(Path dir) throws IOException;
  }

  private static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Rewrites the safetensors header of {@code dir}'s weights; the data bytes stay. */
  private static void editHeader(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve(Checkpoint.WEIGHTS);
    byte[] all = Files.readAllBytes(file);
    int length = (int) headerLength(all);
    ObjectNode header = (ObjectNode) Json.mapper().readTree(
        new String(all, 8, length, StandardCharsets.UTF_8));
    edit.accept(header);
    byte[] text = Json.mapper().writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + text.length + all.length - 8 - length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(text.length).put(text).put(all, 8 + length, all.length - 8 - length);
    Files.write(file, out.array());
  }

  private static void setHeaderLength(Path dir, long length) throws IOException {
    Path file = dir.resolve(Checkpoint.WEIGHTS);
    byte[] all = Files.readAllBytes(file);
    ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
    Files.write(file, all);
  }

  /** Puts a NaN into the first element of {@code tensor} (an F32 tensor). */
  private static void poison(Path dir, String tensor) throws IOException {
    Path file = dir.resolve(Checkpoint.WEIGHTS);
    byte[] all = Files.readAllBytes(file);
    int length = (int) headerLength(all);
    long begin = Json.mapper().readTree(new String(all, 8, length, StandardCharsets.UTF_8))
        .get(tensor).get("data_offsets").get(0).asLong();
    ByteBuffer.wrap(all, (int) (8 + length + begin), 4).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(Float.NaN);
    Files.write(file, all);
  }

  private static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve(Checkpoint.CONFIG);
    ObjectNode config = (ObjectNode) Json.mapper().readTree(file.toFile());
    edit.accept(config);
    Files.writeString(file, Json.mapper().writeValueAsString(config));
  }

  private static Path textFile(String name, String text) throws IOException {
    return bytesFile(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Path bytesFile(String name, byte[] bytes) throws IOException {
    Path file = temp.resolve("files").resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return file;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static DatasetSpec gsm8kFile(Path file) {
    return new DatasetSpec(DatasetSpec.GSM8K, file, "test", true);
  }

  private static DatasetSpec svampFile(Path file) {
    return new DatasetSpec(DatasetSpec.SVAMP, file, "test", true);
  }

  // ---------------------------------------------------------------- the corpus

  private void safetensors() {
    String group = "safetensors";
    String weights = Checkpoint.WEIGHTS;
    refused(group, "missing", out -> eval(checkpoint("no-weights",
        dir -> Files.delete(dir.resolve(weights))), out), "no " + weights);
    refused(group, "truncated to half", out -> eval(checkpoint("half", dir -> {
      byte[] all = Files.readAllBytes(dir.resolve(weights));
      Files.write(dir.resolve(weights), Arrays.copyOf(all, all.length / 2));
    }), out), weights, "is truncated");
    refused(group, "shorter than the header length", out -> eval(checkpoint("five-bytes",
        dir -> Files.write(dir.resolve(weights), new byte[5])), out), weights, "truncated");
    refused(group, "header length absurd", out -> eval(checkpoint("header-2^40",
        dir -> setHeaderLength(dir, 1L << 40)), out), weights, "header length");
    refused(group, "header length past the end", out -> eval(checkpoint("header-past-end",
        dir -> setHeaderLength(dir, Files.size(dir.resolve(weights)) + 100)), out), weights,
        "header needs");
    refused(group, "header not JSON", out -> eval(checkpoint("header-garbage", dir -> {
      byte[] all = Files.readAllBytes(dir.resolve(weights));
      all[8] = '#';
      Files.write(dir.resolve(weights), all);
    }), out), weights, "unreadable safetensors header");
    refused(group, "offsets past the end", out -> eval(checkpoint("offsets", dir ->
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).putArray("data_offsets")
            .add(0).add(1L << 30))), out), weights, "model.norm.weight");
    refused(group, "offsets reversed", out -> eval(checkpoint("offsets-reversed", dir ->
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).putArray("data_offsets")
            .add(128).add(0))), out), weights, "model.norm.weight", "data_offsets");
    refused(group, "unknown dtype", out -> eval(checkpoint("dtype", dir ->
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).put("dtype", "Q7"))),
        out), "model.norm.weight", "dtype");
    refused(group, "shape against the bytes", out -> eval(checkpoint("shape-bytes", dir ->
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).putArray("shape")
            .add(7))), out), "model.norm.weight", "shape");
    refused(group, "shape against config.json", out -> eval(checkpoint("shape-config", dir ->
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).putArray("shape")
            .add(16).add(2))), out), "model.norm.weight", "config.json");
    refused(group, "tensor missing", out -> eval(checkpoint("tensor-missing", dir ->
        editHeader(dir, h -> h.remove("model.norm.weight"))), out), "model.norm.weight",
        "missing");
    refused(group, "NaN weight", out -> eval(checkpoint("nan", dir ->
        poison(dir, "model.norm.weight")), out), "model.norm.weight", "NaN");
  }

  private void configs() {
    String group = "config.json";
    String config = Checkpoint.CONFIG;
    refused(group, "missing", out -> eval(checkpoint("no-config",
        dir -> Files.delete(dir.resolve(config))), out), "no " + config);
    refused(group, "invalid JSON", out -> eval(checkpoint("config-invalid",
        dir -> Files.writeString(dir.resolve(config), "{\"hidden_size\": 32,")), out), config,
        "not valid JSON");
    refused(group, "an array", out -> eval(checkpoint("config-array",
        dir -> Files.writeString(dir.resolve(config), "[1, 2]")), out), config, "JSON object");
    refused(group, "wrong type", out -> eval(checkpoint("config-type", dir ->
        editConfig(dir, c -> c.put("hidden_size", "thirty-two"))), out), config, "hidden_size");
    refused(group, "required field missing", out -> eval(checkpoint("config-no-vocab", dir ->
        editConfig(dir, c -> c.remove("vocab_size"))), out), config, "vocab_size");
    refused(group, "hidden size not divisible by heads", out -> eval(checkpoint("config-heads",
        dir -> editConfig(dir, c -> c.put("num_attention_heads", 3))), out), config,
        "num_attention_heads");
    refused(group, "negative layers", out -> eval(checkpoint("config-layers",
        dir -> editConfig(dir, c -> c.put("num_hidden_layers", -1))), out), config,
        "num_hidden_layers");
    refused(group, "vocab smaller than the weights", out -> eval(checkpoint("config-vocab",
        dir -> editConfig(dir, c -> c.put("vocab_size", 10))), out), config,
        "model.embed_tokens.weight");
    refused(group, "model_type gpt2", out -> eval(checkpoint("config-gpt2",
        dir -> editConfig(dir, c -> c.put("model_type", "gpt2"))), out), config, "model_type");
    refused(group, "Latin-1", out -> eval(checkpoint("config-latin1", dir -> {
      byte[] text = Files.readAllBytes(dir.resolve(config));
      byte[] note = ",\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
      Files.write(dir.resolve(config), concat(Arrays.copyOf(text, text.length - 1), note));
    }), out), config, "UTF-8");
    accepted(group, "with a byte-order mark", out -> eval(checkpoint("config-bom", dir ->
        Files.write(dir.resolve(config), concat(BOM, Files.readAllBytes(dir.resolve(config))))),
        out));
  }

  private void tokenizers() {
    String group = "tokenizer.json";
    String tokenizer = Checkpoint.TOKENIZER;
    refused(group, "missing", out -> eval(checkpoint("no-tokenizer",
        dir -> Files.delete(dir.resolve(tokenizer))), out), "no " + tokenizer);
    refused(group, "invalid JSON", out -> eval(checkpoint("tokenizer-invalid",
        dir -> Files.writeString(dir.resolve(tokenizer), "{\"model\": ")), out), tokenizer,
        "not valid JSON");
    refused(group, "no vocabulary", out -> eval(checkpoint("tokenizer-empty",
        dir -> Files.writeString(dir.resolve(tokenizer), "{}")), out), tokenizer,
        "vocabulary");
    refused(group, "JSON the tokenizers library cannot load", out -> eval(checkpoint(
        "tokenizer-unloadable", dir -> Files.writeString(dir.resolve(tokenizer),
            "{\"model\": {\"vocab\": {\"<s>\": 0, \"</s>\": 1, \"<pad>\": 2}}}")), out),
        tokenizer);
    refused(group, "larger than the model's vocabulary", out -> eval(checkpoint(
        "tokenizer-larger", dir -> {
          List<String> words = new ArrayList<>(SyntheticBenchmark.vocabulary());
          for (int i = 0; i < 40; i++) {
            words.add("extra" + i);
          }
          WordLevelTokenizerJson.write(dir.resolve(tokenizer), words);
        }), out), tokenizer, "vocab_size");
  }

  private void gsm8kFiles() throws IOException {
    String group = "gsm8k";
    Path noHashes = textFile("no-hashes.jsonl", GOOD_LINE
        + "{\"question\": \"Ann has 3 cups.\", \"answer\": \"Ann has 3 cups. 3\"}\n");
    refused(group, "a line without ####", out -> evalOn(gsm8kFile(noHashes), out),
        "no-hashes.jsonl", "line 2", "####");
    Path words = textFile("non-numeric.jsonl",
        "{\"question\": \"Ann has 3 cups.\", \"answer\": \"so\\n#### three\"}\n");
    refused(group, "a non-numeric answer", out -> evalOn(gsm8kFile(words), out),
        "non-numeric.jsonl", "line 1", "not a number");
    Path empty = textFile("empty.jsonl", "");
    refused(group, "an empty file", out -> evalOn(gsm8kFile(empty), out), "empty.jsonl",
        "no problems");
    Path blank = textFile("blank.jsonl", "\n  \n\r\n");
    refused(group, "only blank lines", out -> evalOn(gsm8kFile(blank), out), "blank.jsonl",
        "no problems");
    Path notJson = textFile("not-json.jsonl", GOOD_LINE + "question: Ann has 3 cups\n");
    refused(group, "a line that is not JSON", out -> evalOn(gsm8kFile(notJson), out),
        "not-json.jsonl", "line 2");
    Path noQuestion = textFile("no-question.jsonl", "{\"answer\": \"#### 3\"}\n");
    refused(group, "no question field", out -> evalOn(gsm8kFile(noQuestion), out),
        "no-question.jsonl", "question");
    Path numberQuestion = textFile("number-question.jsonl",
        "{\"question\": 12, \"answer\": \"#### 3\"}\n");
    refused(group, "a question that is a number", out -> evalOn(gsm8kFile(numberQuestion),
        out), "number-question.jsonl", "question");
    Path array = textFile("array.jsonl", "[1, 2, 3]\n");
    refused(group, "a line that is an array", out -> evalOn(gsm8kFile(array), out),
        "array.jsonl", "line 1");
    Path latin1 = bytesFile("latin1.jsonl", concat(GOOD_LINE.getBytes(StandardCharsets.UTF_8),
        GOOD_LINE.replace("pens", "cr\u00eapes").getBytes(StandardCharsets.ISO_8859_1)));
    refused(group, "a Latin-1 line", out -> evalOn(gsm8kFile(latin1), out), "latin1.jsonl",
        "line 2", "UTF-8");
    char[] huge = new char[8 << 20];
    Arrays.fill(huge, 'x');
    Path hugeLine = textFile("huge-line.jsonl", new String(huge));
    refused(group, "a huge single line (8 MiB, no newline)", out -> evalOn(gsm8kFile(hugeLine),
        out), "huge-line.jsonl", "line 1");
    String longQuestion = "Tom has 7 pens and 7 cups. ".repeat(60);
    Path overLong = textFile("over-long.jsonl", GOOD_LINE + "{\"question\": \"" + longQuestion
        + "How many pens?\", \"answer\": \"#### 7\"}\n");
    refused(group, "a question longer than the model's context",
        out -> evalOn(gsm8kFile(overLong), out), "over-long.jsonl");
    Path allBad = textFile("all-bad.jsonl", "{}\n{}\n");
    refused(group, "every record bad, failOnBadRecord=false", out -> evalOn(
        new DatasetSpec(DatasetSpec.GSM8K, allBad, "test", false), out), "all-bad.jsonl",
        "no problems", "2 malformed");
    refused(group, "the file does not exist", out -> evalOn(gsm8kFile(temp.resolve("nowhere"
        + ".jsonl")), out), "nowhere.jsonl", "does not exist");
    Path noSplit = Files.createDirectories(temp.resolve("files").resolve("no-split"));
    refused(group, "a directory without the split's file", out -> evalOn(
        new DatasetSpec(DatasetSpec.GSM8K, noSplit, "test", true), out), "test.jsonl",
        "does not exist");
    Path bom = bytesFile("bom.jsonl", concat(BOM, GOOD_LINE.getBytes(StandardCharsets.UTF_8)));
    accepted(group, "a byte-order mark", out -> evalOn(gsm8kFile(bom), out));
  }

  private void svampFiles() throws IOException {
    String group = "svamp";
    Path object = textFile("svamp-object.json", "{\"Body\": \"Tom has 7 pens.\"}");
    refused(group, "an object, not an array", out -> evalOn(svampFile(object), out),
        "svamp-object.json", "JSON array");
    Path noAnswer = textFile("svamp-no-answer.json",
        "[{\"Body\": \"Tom has 7 pens.\", \"Question\": \"How many?\"}]");
    refused(group, "a problem without Answer", out -> evalOn(svampFile(noAnswer), out),
        "svamp-no-answer.json", "Answer");
    Path wordAnswer = textFile("svamp-word.json",
        "[{\"Body\": \"Tom has 7 pens.\", \"Question\": \"How many?\", \"Answer\": \"seven\"}]");
    refused(group, "a non-numeric Answer", out -> evalOn(svampFile(wordAnswer), out),
        "svamp-word.json", "not a number");
    Path nested = textFile("svamp-nested.json", "[[1, 2]]");
    refused(group, "an array of arrays", out -> evalOn(svampFile(nested), out),
        "svamp-nested.json", "index 0");
    Path invalid = textFile("svamp-invalid.json", "[{\"Body\": \"Tom\",\n \"Question\" ]");
    refused(group, "invalid JSON", out -> evalOn(svampFile(invalid), out),
        "svamp-invalid.json", "line 2");
    Path latin1 = bytesFile("svamp-latin1.json",
        GOOD_SVAMP.replace("pens", "cr\u00eapes").getBytes(StandardCharsets.ISO_8859_1));
    refused(group, "Latin-1", out -> evalOn(svampFile(latin1), out), "svamp-latin1.json",
        "UTF-8");
    Path empty = textFile("svamp-empty.json", "[]");
    refused(group, "an empty array", out -> evalOn(svampFile(empty), out), "svamp-empty.json",
        "no problems");
    Path bom = bytesFile("svamp-bom.json", concat(BOM,
        GOOD_SVAMP.getBytes(StandardCharsets.UTF_8)));
    accepted(group, "a byte-order mark", out -> evalOn(svampFile(bom), out));
  }

  private void datasetNames() {
    String group = "dataset";
    refused(group, "unknown name", out -> evalOn(new DatasetSpec("gsm9k", gsm8k.path(), "test",
        true), out), "gsm9k", "unknown dataset");
    refused(group, "unknown split", out -> evalOn(new DatasetSpec(DatasetSpec.GSM8K,
        gsm8k.path(), "dev", true), out), "dev", "split");
    refused(group, "gsm8k without a path", out -> evalOn(new DatasetSpec(DatasetSpec.GSM8K,
        null, "test", true), out), "gsm8k", "path");
    refused(group, "the embedded benchmark v1 has no validation split", out -> evalOn(
        DatasetSpec.synthetic("validation"), out), "validation");
  }

  private void parameters() {
    String group = "parameters";
    refused(group, "eval K=0", out -> new Evaluation(new EvalSpec(base, gsm8k, 0, 0, null,
        new EvalOptions(0, 1, 1.0, 1.0, 4, 8, true, 1, 10), out)).run(l -> { }), "K");
    refused(group, "eval samples < K", out -> new Evaluation(new EvalSpec(base, gsm8k, 0, 0,
        null, new EvalOptions(4, 2, 1.0, 1.0, 4, 8, true, 1, 10), out)).run(l -> { }),
        "samples", "K");
    refused(group, "eval temperature=0", out -> new Evaluation(new EvalSpec(base, gsm8k, 0, 0,
        null, new EvalOptions(1, 1, 0.0, 1.0, 4, 8, true, 1, 10), out)).run(l -> { }),
        "temperature");
    refused(group, "eval topP=0", out -> new Evaluation(new EvalSpec(base, gsm8k, 0, 0, null,
        new EvalOptions(1, 1, 1.0, 0.0, 4, 8, true, 1, 10), out)).run(l -> { }), "topP");
    refused(group, "eval maxNewTokens=0", out -> new Evaluation(new EvalSpec(base, gsm8k, 0, 0,
        null, new EvalOptions(1, 1, 1.0, 1.0, 0, 8, true, 1, 10), out)).run(l -> { }),
        "maxNewTokens");
    refused(group, "eval samplingBatch=0", out -> new Evaluation(new EvalSpec(base, gsm8k, 0,
        0, null, new EvalOptions(1, 1, 1.0, 1.0, 4, 0, true, 1, 10), out)).run(l -> { }),
        "samplingBatch");
    refused(group, "eval maxProblems=-1", out -> new Evaluation(new EvalSpec(base, gsm8k, -1,
        0, null, EVAL, out)).run(l -> { }), "maxProblems");
    refused(group, "eval ormCheckpoint that does not exist", out -> new Evaluation(
        new EvalSpec(base, gsm8k, 0, 0, temp.resolve("no-orm"), EVAL, out)).run(l -> { }),
        "no-orm");
    refused(group, "eval ormCheckpoint that is a policy (no reward head)", out -> new Evaluation(
        new EvalSpec(base, gsm8k, 0, 0, base, EVAL, out)).run(l -> { }), "base",
        "reward_head.safetensors");
    refused(group, "ei ormCheckpoint that is a policy (no reward head)", out -> ei(
        RolloutSpec.of(1, 1.0, 4, 8), 1, false, base, 0.5, out), "reward_head.safetensors");
    refused(group, "ppo orm-sparse reward with a policy as the ORM", out -> {
      PpoSpec s = ppoSpec(out);
      return new PolicyOptimization(new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(),
          s.output(), s.advantage(), "orm-sparse", base, 0, s.iterations(),
          s.questionsPerIteration(), s.rollout(), s.loss(), s.kl(), s.optimization(),
          s.evalEvery(), s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed()))
          .run(l -> { });
    }, "reward_head.safetensors");
    refused(group, "eval ormCheckpoint whose reward head does not fit the model", out ->
        new Evaluation(new EvalSpec(base, gsm8k, 0, 0, checkpoint("orm-wide-head", dir -> {
          try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
            ScalarHead.create(48, manager, SeedStream.of(1, "head"))
                .save(dir.resolve(ScalarHead.REWARD_HEAD_FILE));
          }
        }), EVAL, out)).run(l -> { }), ScalarHead.REWARD_HEAD_FILE, "score.weight",
        "hidden_size 32");
    refused(group, "eval checkpoint that does not exist", out -> eval(temp.resolve(
        "no-checkpoint"), out), "no-checkpoint");
    refused(group, "eval stepCondition not in the tokenizer", out -> new Evaluation(
        new EvalSpec(base, gsm8k, 0, 0, null, EVAL, out, "[MAYBE]")).run(l -> { }), "[MAYBE]");
    refused(group, "sft steps=0", out -> sft(optimization(0, 2, 2, 1e-3, 0, 0.9), 1, 1, out),
        "steps");
    refused(group, "sft batchSize=0", out -> sft(optimization(2, 0, 1, 1e-3, 0, 0.9), 1, 1,
        out), "batchSize");
    refused(group, "sft learningRate=0", out -> sft(optimization(2, 2, 2, 0, 0, 0.9), 1, 1,
        out), "learningRate");
    refused(group, "sft learningRate=NaN", out -> sft(optimization(2, 2, 2, Double.NaN, 0,
        0.9), 1, 1, out), "learningRate");
    refused(group, "sft learningRate=Infinity", out -> sft(optimization(2, 2, 2,
        Double.POSITIVE_INFINITY, 0, 0.9), 1, 1, out), "learningRate");
    refused(group, "sft warmupSteps=-1", out -> sft(optimization(2, 2, 2, 1e-3, -1, 0.9), 1, 1,
        out), "warmupSteps");
    refused(group, "sft adamBeta1=1", out -> sft(optimization(2, 2, 2, 1e-3, 0, 1.0), 1, 1,
        out), "adamBeta1");
    refused(group, "sft evalEvery=0", out -> sft(optimization(2, 2, 2, 1e-3, 0, 0.9), 0, 1,
        out), "evalEvery");
    refused(group, "sft validationProblems=0", out -> sft(optimization(2, 2, 2, 1e-3, 0, 0.9),
        1, 0, out), "validationProblems");
    refused(group, "ei k=0", out -> ei(RolloutSpec.of(0, 1.0, 4, 8), 1, false, null, 0.5, out),
        "k");
    refused(group, "ei temperature=NaN", out -> ei(RolloutSpec.of(1, Double.NaN, 4, 8), 1,
        false, null, 0.5, out), "temperature");
    refused(group, "ei topP=1.5", out -> ei(new RolloutSpec(1, 1.0, 1.5, 4, 8), 1, false, null,
        0.5, out), "topP");
    refused(group, "ei rounds=0 without the control", out -> ei(RolloutSpec.of(1, 1.0, 4, 8),
        0, false, null, 0.5, out), "rounds");
    refused(group, "ei ormThreshold=NaN", out -> ei(RolloutSpec.of(1, 1.0, 4, 8), 1, false,
        base, Double.NaN, out), "ormThreshold");
    refused(group, "orm heldOutShare=1", out -> orm(1.0, RolloutSpec.of(2, 1.0, 4, 8), out),
        "heldOutShare");
    refused(group, "orm heldOutShare=-0.1", out -> orm(-0.1, RolloutSpec.of(2, 1.0, 4, 8),
        out), "heldOutShare");
    refused(group, "ppo unknown advantage", out -> ppo(PpoFixtures.spec(base, gsm8k, out,
        "ppo2", 1, 1e-3)), "ppo2", "advantage");
    refused(group, "ppo grpo with k=1", out -> {
      PpoSpec s = PpoFixtures.spec(base, gsm8k, out, "grpo", 1, 1e-3);
      return ppo(new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(),
          s.advantage(), s.reward(), null, 0, s.iterations(), s.questionsPerIteration(),
          RolloutSpec.of(1, 1.0, 8, 32), s.loss(), s.kl(), s.optimization(), s.evalEvery(),
          s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed()));
    }, "k must be >= 2");
    refused(group, "ppo clip=0", out -> ppo(PpoFixtures.withLoss(ppoSpec(out),
        loss(1, 0.0, 1.0, 0.95))), "clip");
    refused(group, "ppo epochs=0", out -> ppo(PpoFixtures.withLoss(ppoSpec(out),
        loss(0, 0.2, 1.0, 0.95))), "epochs");
    refused(group, "ppo gamma=1.5", out -> ppo(PpoFixtures.withLoss(ppoSpec(out),
        loss(1, 0.2, 1.5, 0.95))), "gamma");
    refused(group, "ppo lambda=-1", out -> ppo(PpoFixtures.withLoss(ppoSpec(out),
        loss(1, 0.2, 1.0, -1))), "lambda");
    refused(group, "ppo klCoefficient=-1", out -> ppo(PpoFixtures.withKl(ppoSpec(out),
        new PpoSpec.KlPenalty("k1", -1, "reward", 0, 10_000, 0))), "klCoefficient");
    refused(group, "ppo unknown KL estimator", out -> ppo(PpoFixtures.withKl(ppoSpec(out),
        new PpoSpec.KlPenalty("k9", 0.05, "reward", 0, 10_000, 0))), "k9");
    refused(group, "ppo unknown reward", out -> {
      PpoSpec s = ppoSpec(out);
      return new PolicyOptimization(new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(),
          s.output(), s.advantage(), "sparse2", null, 0, s.iterations(),
          s.questionsPerIteration(), s.rollout(), s.loss(), s.kl(), s.optimization(),
          s.evalEvery(), s.evalDataset(), s.evalProblems(), s.eval(), s.lora(), s.seed()))
          .run(l -> { });
    }, "reward", "sparse2");
    refused(group, "ppo questionsPerIteration=0", out -> {
      PpoSpec s = ppoSpec(out);
      return ppo(new PpoSpec(s.checkpoint(), s.dataset(), s.maxQuestions(), s.output(),
          s.advantage(), s.reward(), null, 0, s.iterations(), 0, s.rollout(), s.loss(), s.kl(),
          s.optimization(), s.evalEvery(), s.evalDataset(), s.evalProblems(), s.eval(),
          s.lora(), s.seed()));
    }, "questionsPerIteration");
    refused(group, "pretrain documents=0", out -> new Pretrain(new PretrainSpec(out,
        SupervisedFixtures.tinyConfig(64), 0, optimization(2, 2, 2, 1e-3, 0, 0.9), 1))
        .run(l -> { }), "documents");
    refused(group, "pretrain hidden size not divisible by heads", out -> new Pretrain(
        new PretrainSpec(out, LlamaConfig.of(30, 64, 2, 4, 2, 64, 256, false), 10,
            optimization(2, 2, 2, 1e-3, 0, 0.9), 1)).run(l -> { }), "num_attention_heads");
    refused(group, "rcrl threshold=2", out -> new ReturnConditionedRl(new RcrlSpec(base,
        RcrlSpec.ROLLOUT_LABELS, null, null, 2.0, 2, gsm8k, gsm8k.withSplit("test"), out, 0,
        RolloutSpec.of(2, 1.0, 4, 8), optimization(2, 2, 2, 1e-3, 0, 0.9), 0,
        RolloutSpec.of(1, 1.0, 4, 8), 1)).run(l -> { }), "threshold");
  }

  private void outputs() throws IOException {
    String group = "output";
    Path file = textFile("an-output-file", "keep me");
    cases.add(new Case(group, "a regular file", List.of("an-output-file", "is a file"), file,
        out -> eval(base, out)));
    cases.add(new Case(group, "under a regular file", List.of("an-output-file",
        "cannot be created"), file.resolve("run"), out -> eval(base, out)));
  }
}
