package org.reasonrl.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded benchmark on disk: {@code train.jsonl} and {@code test.jsonl} (version 2 also
 * {@code validation.jsonl}) in GSM8K's format (read back by {@link Gsm8k#load}), the
 * {@code tokenizer.json} over its vocabulary, and {@code benchmark.json} describing how it was
 * generated, by which generator version first.
 */
public final class SyntheticFiles {

  public static final String TRAIN_FILE = "train.jsonl";
  public static final String TEST_FILE = "test.jsonl";
  public static final String VALIDATION_FILE = "validation.jsonl";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String DESCRIPTION_FILE = "benchmark.json";

  /** Sequence lengths in tokens of {@link SyntheticBenchmark#measuredText}, with BOS and EOS. */
  public record TokenStats(int max, double mean, int count) {}

  /** What {@link #write} produced. */
  public record Written(Path train, Path test, Path tokenizer, Path description,
      int vocabularySize, TokenStats tokens) {}

  private SyntheticFiles() {}

  /** Generates {@code benchmark} and writes its four files into {@code dir}. */
  public static Written write(SyntheticBenchmark benchmark, Path dir) throws IOException {
    Files.createDirectories(dir);
    SyntheticBenchmark.Splits splits = benchmark.generate();
    Path train = dir.resolve(TRAIN_FILE);
    Path test = dir.resolve(TEST_FILE);
    Path tokenizer = dir.resolve(TOKENIZER_FILE);
    Path description = dir.resolve(DESCRIPTION_FILE);
    Gsm8k.write(train, splits.train());
    Gsm8k.write(test, splits.test());
    List<String> vocabulary = SyntheticBenchmark.vocabulary();
    WordLevelTokenizerJson.write(tokenizer, vocabulary);
    List<Problem> all = new ArrayList<>(splits.train());
    all.addAll(splits.test());
    TokenStats tokens = tokenStats(all);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("generator", SyntheticBenchmark.VERSION);
    root.set("options", json.valueToTree(benchmark.options()));
    root.put("train", splits.train().size());
    root.put("test", splits.test().size());
    root.set("trainSteps", json.valueToTree(histogram(splits.train())));
    root.set("testSteps", json.valueToTree(histogram(splits.test())));
    root.put("vocabularySize", vocabulary.size());
    root.set("tokens", json.valueToTree(tokens));
    root.put("tokensMeasuredOn", quoted(PromptFormat.QUESTION) + " + question + "
        + quoted(PromptFormat.ANSWER + PromptFormat.completion("")) + " + solution, + BOS, EOS");
    json.writeValue(description.toFile(), root);
    return new Written(train, test, tokenizer, description, vocabulary.size(), tokens);
  }

  /** What {@link #write(SyntheticBenchmarkV2, Path)} produced. */
  public record WrittenV2(Path train, Path validation, Path test, Path tokenizer,
      Path description, int vocabularySize, TokenStats tokens) {}

  /**
   * Generates the version-2 {@code benchmark} and writes its five files into {@code dir}. The
   * description adds the distribution of solution paths a question (their count, capped at 20)
   * and of valid solution texts.
   */
  public static WrittenV2 write(SyntheticBenchmarkV2 benchmark, Path dir) throws IOException {
    Files.createDirectories(dir);
    SyntheticBenchmarkV2.Splits splits = benchmark.generate();
    Path train = dir.resolve(TRAIN_FILE);
    Path validation = dir.resolve(VALIDATION_FILE);
    Path test = dir.resolve(TEST_FILE);
    Path tokenizer = dir.resolve(TOKENIZER_FILE);
    Path description = dir.resolve(DESCRIPTION_FILE);
    Gsm8k.write(train, splits.problems("train"));
    Gsm8k.write(validation, splits.problems("validation"));
    Gsm8k.write(test, splits.problems("test"));
    List<String> vocabulary = SyntheticBenchmark.vocabulary();
    WordLevelTokenizerJson.write(tokenizer, vocabulary);
    List<SyntheticBenchmarkV2.Question> all = new ArrayList<>(splits.train());
    all.addAll(splits.validation());
    all.addAll(splits.test());
    TokenStats tokens = tokenStats(all.stream().map(SyntheticBenchmarkV2.Question::problem)
        .toList());
    Map<Integer, Integer> paths = new TreeMap<>();
    long texts = 0;
    for (SyntheticBenchmarkV2.Question q : all) {
      paths.merge(Math.min(q.solutions().pathCount(), 20), 1, Integer::sum);
      texts += q.solutions().textCount();
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("generator", SyntheticBenchmarkV2.VERSION);
    root.set("options", json.valueToTree(benchmark.options()));
    root.put("train", splits.train().size());
    root.put("validation", splits.validation().size());
    root.put("test", splits.test().size());
    root.set("trainSteps", json.valueToTree(histogram(splits.problems("train"))));
    root.set("validationSteps", json.valueToTree(histogram(splits.problems("validation"))));
    root.set("testSteps", json.valueToTree(histogram(splits.problems("test"))));
    root.set("pathsPerQuestion", json.valueToTree(paths));
    root.put("meanTextsPerQuestion", all.isEmpty() ? 0 : (double) texts / all.size());
    root.put("vocabularySize", vocabulary.size());
    root.set("tokens", json.valueToTree(tokens));
    root.put("tokensMeasuredOn", quoted(PromptFormat.QUESTION) + " + question + "
        + quoted(PromptFormat.ANSWER + PromptFormat.completion("")) + " + solution, + BOS, EOS");
    json.writeValue(description.toFile(), root);
    return new WrittenV2(train, validation, test, tokenizer, description, vocabulary.size(),
        tokens);
  }

  /** The generator a written benchmark names in its description, or "?" when it names none. */
  public static String generatorOf(Path description) throws IOException {
    return new ObjectMapper().readTree(description.toFile()).path("generator").asText("?");
  }

  /** Token counts of {@link SyntheticBenchmark#measuredText} plus BOS and EOS. */
  public static TokenStats tokenStats(Collection<Problem> problems) {
    int max = 0;
    long sum = 0;
    for (Problem p : problems) {
      int n = SyntheticBenchmark.tokenCount(p);
      max = Math.max(max, n);
      sum += n;
    }
    return new TokenStats(max, problems.isEmpty() ? 0 : (double) sum / problems.size(),
        problems.size());
  }

  private static Map<Integer, Integer> histogram(List<Problem> problems) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (Problem p : problems) {
      counts.merge(SyntheticBenchmark.steps(p), 1, Integer::sum);
    }
    return counts;
  }

  /** A literal as Java would spell it ({@code "\nAnswer: "}), for the description. */
  private static String quoted(String literal) {
    return '"' + literal.replace("\n", "\\n") + '"';
  }

  /**
   * Writes the default benchmark: {@code java ... SyntheticFiles <dir> [seed] [v1|v2]}
   * (version 1 unless {@code v2} is given).
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticFiles <output dir> [seed] [v1|v2]");
      System.exit(2);
    }
    boolean v2 = args.length > 2 && args[2].equals("v2");
    Path dir = Path.of(args[0]);
    TokenStats tokens;
    int vocabularySize;
    if (v2) {
      SyntheticV2Options options = SyntheticV2Options.defaults();
      if (args.length > 1) {
        options = options.withSeed(Long.parseLong(args[1]));
      }
      WrittenV2 w = write(new SyntheticBenchmarkV2(options), dir);
      tokens = w.tokens();
      vocabularySize = w.vocabularySize();
    } else {
      SyntheticOptions options = SyntheticOptions.defaults();
      if (args.length > 1) {
        options = options.withSeed(Long.parseLong(args[1]));
      }
      Written w = write(new SyntheticBenchmark(options), dir);
      tokens = w.tokens();
      vocabularySize = w.vocabularySize();
    }
    System.out.println("wrote " + dir + ": vocabulary " + vocabularySize + ", tokens max "
        + tokens.max() + " mean " + String.format("%.1f", tokens.mean()));
  }
}
