package org.reasonrl.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.reasonrl.data.Templates.Step;
import org.reasonrl.data.Templates.Theme;

/**
 * A pretraining corpus in the embedded benchmark's vocabulary. It teaches the language (story
 * sentences about the same people and objects) and arithmetic (facts in words, {@code 3 plus 4
 * is 7.}, and in symbols, {@code 3 + 4 = 7}), and holds a few question/answer pairs that give
 * the answer with no worked steps, so a pretrained model knows the words and the sums but not
 * the worked-solution format: few-shot accuracy is low but not zero. Deterministic given a seed.
 * Questions passed as {@code excluded} (the test split) never appear.
 */
public final class PretrainCorpus {

  public static final String FILE = "pretrain.jsonl";

  private static final double STORY = 0.45;
  private static final double FACTS = 0.45;
  private static final List<String> FACT_WORDS =
      List.of("{a} plus {b} is {c}.", "{a} minus {b} is {c}.", "{a} times {b} is {c}.",
          "{a} divided by {b} is {c}.", "{a} + {b} = {c}", "{a} - {b} = {c}", "{a} * {b} = {c}",
          "{a} / {b} = {c}");
  /** A question answered in the prompt format, with no worked steps. */
  private static final String ANSWER =
      PromptFormat.zeroShot().prompt("{q}") + PromptFormat.completion("The answer is {c}.");

  private final SyntheticOptions options;

  public PretrainCorpus(SyntheticOptions options) {
    this.options = options;
  }

  /** {@code count} documents from {@code seed}; questions in {@code excluded} are avoided. */
  public List<String> generate(long seed, int count, Collection<Problem> excluded) {
    Set<String> banned = new HashSet<>();
    excluded.forEach(p -> banned.add(p.question()));
    Random random = new Random(seed);
    SyntheticBenchmark questions = new SyntheticBenchmark(options);
    List<String> documents = new ArrayList<>(count);
    while (documents.size() < count) {
      double u = random.nextDouble();
      if (u < STORY) {
        documents.add(story(random));
      } else if (u < STORY + FACTS) {
        documents.add(facts(random));
      } else {
        Problem p = questions.problem(random, "pretrain");
        if (!banned.contains(p.question())) {
          documents.add(ANSWER.replace("{q}", p.question()).replace("{c}", p.answer()));
        }
      }
    }
    return documents;
  }

  /** Writes documents as jsonl, {@code {"text": ...}} a line. */
  public static void write(Path file, List<String> documents) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String document : documents) {
        ObjectNode node = json.createObjectNode();
        node.put("text", document);
        out.write(json.writeValueAsString(node));
        out.write('\n');
      }
    }
  }

  /** Three to five story sentences with consistent, non-negative amounts but no question. */
  private String story(Random random) {
    Theme theme = random.nextDouble() < options.moneyFraction()
        ? Templates.MONEY_THEME : Templates.OBJECTS_THEME;
    Map<String, String> v = new HashMap<>();
    int p = random.nextInt(Templates.NAMES.size());
    int q = (p + 1 + random.nextInt(Templates.NAMES.size() - 1)) % Templates.NAMES.size();
    v.put("P", Templates.NAMES.get(p));
    v.put("Q", Templates.NAMES.get(q)); // someone else
    v.put("o", pick(random, Templates.OBJECTS));
    v.put("item", pick(random, Templates.ITEMS));
    int x = between(random, options.startMin(), options.startMax());
    v.put("a", Integer.toString(x));
    List<String> sentences = new ArrayList<>();
    sentences.add(Templates.render(pick(random, theme.openings()), v));
    int n = between(random, 2, 4);
    for (int i = 0; i < n; i++) {
      int min = SyntheticBenchmark.MIN_AMOUNT;
      boolean add = x - min < min || random.nextBoolean();
      int b = add ? between(random, min, options.addMax())
          : between(random, min, Math.min(options.addMax(), x - min));
      Step step = pick(random, add ? theme.additions() : theme.subtractions());
      v.put("b", Integer.toString(b));
      sentences.add(Templates.render(step.question(), v));
      x = add ? x + b : x - b;
    }
    return String.join(" ", sentences);
  }

  /** Four to eight arithmetic facts, one a line, all exact and non-negative. */
  private String facts(Random random) {
    int n = between(random, 4, 8);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(4);
      int a;
      int b;
      int c;
      switch (kind) {
        case 0 -> {
          a = between(random, 0, options.startMax());
          b = between(random, 0, options.addMax());
          c = a + b;
        }
        case 1 -> {
          a = between(random, 0, options.startMax() + options.addMax());
          b = between(random, 0, a);
          c = a - b;
        }
        case 2 -> {
          a = between(random, 0, options.groupMax());
          b = between(random, 0, options.groupMax());
          c = a * b;
        }
        default -> {
          b = between(random, 1, Math.max(options.divisorMax(), options.factorMax()));
          c = between(random, 0, options.groupMax() * 2);
          a = b * c;
        }
      }
      String template = FACT_WORDS.get(kind + (random.nextBoolean() ? 0 : 4));
      lines.add(template.replace("{a}", Integer.toString(a)).replace("{b}", Integer.toString(b))
          .replace("{c}", Integer.toString(c)));
    }
    return String.join("\n", lines);
  }

  /** The corpus's own words, for the shared tokenizer vocabulary. */
  static List<String> vocabularyTexts() {
    List<String> texts = new ArrayList<>();
    for (String t : FACT_WORDS) {
      texts.addAll(List.of(t.split("\\{[a-z]+\\}")));
    }
    texts.addAll(List.of(ANSWER.split("\\{[a-z]+\\}")));
    return texts;
  }

  private static int between(Random random, int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  private static <T> T pick(Random random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
