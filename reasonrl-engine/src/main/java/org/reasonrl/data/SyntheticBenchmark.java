package org.reasonrl.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.reasonrl.data.Story.Operation;
import org.reasonrl.data.Templates.Step;
import org.reasonrl.data.Templates.Theme;

/**
 * The embedded benchmark: GSM8K-style word problems with worked solutions in GSM8K's exact format
 * (one step a line, a calculator annotation {@code <<a op b=c>>} on each, a final line
 * {@code #### N}), generated deterministically from {@link SyntheticOptions#seed()}. A problem
 * tells a short story about people and objects (or money): an opening quantity, then 1 to
 * {@link SyntheticOptions#maxSteps()} steps of + - * and exact /. Train and test share no
 * question. {@link SyntheticFiles} writes it to disk.
 */
public final class SyntheticBenchmark {

  /** Names the generator; recorded in {@link SyntheticFiles#DESCRIPTION_FILE}. */
  public static final String VERSION = "synthetic-v1";

  /** How likely a problem opens with an "N bags of M" product, which is its first step. */
  private static final double PRODUCT_OPENING = 0.3;
  private static final int MAX_ATTEMPTS = 1000;
  private static final PromptFormat ZERO_SHOT = PromptFormat.zeroShot();
  /**
   * Amounts added or taken, and results of subtractions and divisions, are at least 2, so
   * "1 more apples" never appears (negatives, when enabled, are the exception).
   */
  static final int MIN_AMOUNT = 2;

  public record Splits(List<Problem> train, List<Problem> test) {}

  private final SyntheticOptions options;

  public SyntheticBenchmark(SyntheticOptions options) {
    this.options = options;
  }

  public SyntheticOptions options() {
    return options;
  }

  /** Test first, then train, from one random stream; a question already made is drawn again. */
  public Splits generate() {
    Random random = new Random(options.seed());
    Set<String> seen = new HashSet<>();
    List<Problem> test = draw(random, options.testSize(), "test", seen);
    List<Problem> train = draw(random, options.trainSize(), "train", seen);
    return new Splits(train, test);
  }

  private List<Problem> draw(Random random, int count, String split, Set<String> seen) {
    List<Problem> problems = new ArrayList<>(count);
    int attempts = 0;
    while (problems.size() < count) {
      Problem p = problem(random, String.format("synthetic-%s-%05d", split, problems.size()));
      if (seen.add(p.question())) {
        problems.add(p);
        attempts = 0;
      } else if (++attempts > MAX_ATTEMPTS) {
        throw new IllegalStateException("only " + seen.size() + " distinct questions exist for "
            + options + "; ask for fewer problems or widen the number ranges");
      }
    }
    return problems;
  }

  /** One random problem; its number of steps follows {@link SyntheticOptions#stepWeights()}. */
  public Problem problem(Random random, String id) {
    int steps = sampleSteps(random);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Story story = story(random, steps);
      if (story != null) {
        Problem p = v1Problem(story, id);
        if (tokenCount(p) <= options.maxTokens()) {
          return p;
        }
      }
    }
    throw new IllegalStateException("cannot build a " + steps + "-step problem with " + options);
  }

  /** Version 1's problem: the story's one solution, a line a step, then {@code #### N}. */
  private static Problem v1Problem(Story story, String id) {
    List<String> solution = new ArrayList<>(story.v1Lines());
    solution.add(Answers.FINAL_ANSWER_MARKER + " " + story.answer());
    return new Problem(id, story.question(), String.join("\n", solution),
        Integer.toString(story.answer()));
  }

  int sampleSteps(Random random) {
    List<Double> w = options.stepWeights();
    double total = w.stream().mapToDouble(Double::doubleValue).sum();
    double u = random.nextDouble() * total;
    for (int i = 0; i < w.size(); i++) {
      u -= w.get(i);
      if (u < 0) {
        return i + 1;
      }
    }
    return w.size();
  }

  /**
   * One random story of {@code steps} steps, or null when the draw hit a dead end (no feasible
   * operation, an opening product too large); the caller draws again. Every version draws its
   * questions here, so they share one distribution; the order of the random draws is part of
   * version 1's output and must not change.
   */
  Story story(Random random, int steps) {
    boolean money = random.nextDouble() < options.moneyFraction();
    Theme theme = money ? Templates.MONEY_THEME : Templates.OBJECTS_THEME;
    List<String> names = new ArrayList<>(Templates.NAMES);
    Collections.shuffle(names, random);
    int nextName = 0;
    Map<String, String> v = new HashMap<>();
    v.put("P", names.get(nextName++));
    v.put("o", pick(random, Templates.OBJECTS));
    List<String> group = pick(random, Templates.GROUPS);
    v.put("g", group.get(0));
    v.put("gs", group.get(1));
    v.put("item", pick(random, Templates.ITEMS));
    List<String> question = new ArrayList<>();
    List<String> solution = new ArrayList<>();
    List<Story.Step> arithmetic = new ArrayList<>();
    int x;
    int done = 0;
    if (random.nextDouble() < PRODUCT_OPENING) {
      int a = between(random, 2, options.groupMax());
      int b = between(random, 2, options.groupMax());
      if (a * b > options.answerMax()) {
        return null;
      }
      x = a * b;
      put(v, a, b, 0, x);
      Step step = pick(random, theme.products());
      question.add(Templates.render(step.question(), v));
      solution.add(Templates.render(step.solution(), v));
      arithmetic.add(new Story.Step(Operation.MULTIPLY, a, b, x, v.get("P"),
          Templates.render(Templates.solutionSubject(step), v), Templates.solutionVerb(step),
          true));
      done = 1;
    } else {
      x = between(random, options.startMin(), options.startMax());
      put(v, x, 0, 0, x);
      question.add(Templates.render(pick(random, theme.openings()), v));
    }
    while (done < steps) {
      v.put("Q", names.get(nextName++));
      Operation op = pickOp(random, x);
      if (op == null) {
        return null;
      }
      int b;
      int y;
      Step step;
      switch (op) {
        case ADD -> {
          b = between(random, MIN_AMOUNT, Math.min(options.addMax(), options.answerMax() - x));
          y = x + b;
          step = pick(random, theme.additions());
        }
        case SUBTRACT -> {
          b = between(random, MIN_AMOUNT, options.allowNegative() ? options.addMax()
              : Math.min(options.addMax(), x - MIN_AMOUNT));
          y = x - b;
          step = pick(random, theme.subtractions());
        }
        case MULTIPLY -> {
          b = between(random, 2, Math.min(options.factorMax(), options.answerMax() / Math.abs(x)));
          y = x * b;
          step = pick(random, theme.multiplications());
        }
        default -> {
          List<Integer> divisors = divisors(x);
          b = pick(random, divisors);
          y = x / b;
          step = pick(random, theme.divisions());
        }
      }
      put(v, 0, b, x, y);
      v.put("times", b == 2 ? "twice" : b + " times");
      v.put("frac", Templates.FRACTIONS.getOrDefault(b, "1/" + b));
      question.add(Templates.render(step.question(), v));
      solution.add(Templates.render(step.solution(), v));
      arithmetic.add(new Story.Step(op, x, b, y, v.get("P"),
          Templates.render(Templates.solutionSubject(step), v), Templates.solutionVerb(step),
          false));
      if (op == Operation.MULTIPLY || op == Operation.DIVIDE) {
        v.put("P", v.get("Q"));
      }
      x = y;
      done++;
    }
    question.add(Templates.render(pick(random, theme.questions()), v));
    return new Story(String.join(" ", question), money, v.get("o"), arithmetic, solution);
  }

  private Operation pickOp(Random random, int x) {
    List<Operation> feasible = new ArrayList<>(4);
    if (options.answerMax() - x >= MIN_AMOUNT) {
      feasible.add(Operation.ADD);
    }
    if (options.allowNegative() || x - MIN_AMOUNT >= MIN_AMOUNT) {
      feasible.add(Operation.SUBTRACT);
    }
    if (x != 0 && options.answerMax() / Math.abs(x) >= 2) {
      feasible.add(Operation.MULTIPLY);
    }
    if (!divisors(x).isEmpty()) {
      feasible.add(Operation.DIVIDE);
    }
    return feasible.isEmpty() ? null : pick(random, feasible);
  }

  private List<Integer> divisors(int x) {
    List<Integer> divisors = new ArrayList<>();
    if (x == 0) {
      return divisors;
    }
    for (int d = 2; d <= options.divisorMax(); d++) {
      if (x % d == 0 && Math.abs(x / d) >= MIN_AMOUNT) {
        divisors.add(d);
      }
    }
    return divisors;
  }

  private static void put(Map<String, String> v, int a, int b, int x, int y) {
    v.put("a", Integer.toString(a));
    v.put("b", Integer.toString(b));
    v.put("x", Integer.toString(x));
    v.put("y", Integer.toString(y));
  }

  private static int between(Random random, int low, int high) {
    if (high < low) {
      throw new IllegalStateException("empty range [" + low + ", " + high + "]");
    }
    return low + random.nextInt(high - low + 1);
  }

  private static <T> T pick(Random random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** The number of calculator annotations in a GSM8K-format solution, i.e. its steps. */
  public static int steps(Problem problem) {
    return problem.referenceSolution() == null
        ? 0 : Answers.annotations(problem.referenceSolution()).size();
  }

  /**
   * The text whose length we budget for: the zero-shot prompt and the completion SFT trains on,
   * {@code "Question: q\nAnswer: solution"} ({@link PromptFormat}).
   */
  public static String measuredText(Problem problem) {
    return ZERO_SHOT.prompt(problem.question())
        + PromptFormat.completion(problem.referenceSolution());
  }

  /**
   * The tokenizer vocabulary: the templates' words, the pretraining corpus's, the prompt
   * format's (and its two words after a space, as prose may use them).
   */
  public static List<String> vocabulary() {
    List<String> texts = new ArrayList<>(Templates.vocabularyTexts());
    texts.addAll(PretrainCorpus.vocabularyTexts());
    texts.add(ZERO_SHOT.prompt("") + PromptFormat.completion(""));
    texts.addAll(List.of(" Question", " Answer"));
    return WordLevelTokenizerJson.vocabulary(texts);
  }

  /** Tokens of {@link #measuredText} plus BOS and EOS, by the tokenizer's own split. */
  public static int tokenCount(Problem problem) {
    return WordLevelTokenizerJson.pieces(measuredText(problem)).size() + 2;
  }
}
