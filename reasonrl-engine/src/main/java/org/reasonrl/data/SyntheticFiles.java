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
 * The embedded benchmark on disk: {@code train.jsonl} and {@code test.jsonl} in GSM8K's format
 * (read back by {@link Gsm8k#load}), the {@code tokenizer.json} over its vocabulary, and
 * {@code benchmark.json} describing how it was generated.
 */
public final class SyntheticFiles {

  public static final String TRAIN_FILE = "train.jsonl";
  public static final String TEST_FILE = "test.jsonl";
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

  /** Writes the default benchmark: {@code java ... SyntheticFiles <dir> [seed]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticFiles <output dir> [seed]");
      System.exit(2);
    }
    SyntheticOptions options = SyntheticOptions.defaults();
    if (args.length > 1) {
      options = options.withSeed(Long.parseLong(args[1]));
    }
    Written w = write(new SyntheticBenchmark(options), Path.of(args[0]));
    System.out.println("wrote " + w.train().getParent() + ": vocabulary " + w.vocabularySize()
        + ", tokens max " + w.tokens().max() + " mean " + String.format("%.1f", w.tokens().mean()));
  }
}
