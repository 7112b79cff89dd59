package org.reasonrl.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words and sentence templates of the embedded benchmark. Placeholders: {@code {P}} the
 * current holder, {@code {Q}} a new person, {@code {o}} the objects, {@code {g}}/{@code {gs}} a
 * container and its plural, {@code {item}} something bought, {@code {a} {b}} the step's given
 * numbers, {@code {x}} the value before the step, {@code {y}} the result, {@code {times}} and
 * {@code {frac}} words for multipliers and fractions. Each step template pairs a question
 * sentence with its solution line; a solution line has exactly one calculator annotation.
 */
final class Templates {

  private Templates() {}

  static final List<String> NAMES = List.of(
      "Mia", "Liam", "Emma", "Noah", "Olivia", "Ava", "Ethan", "Lucas", "Sofia", "Leo", "Zoe",
      "Max", "Ella", "Jack", "Lily", "Sam", "Nora", "Ben", "Ruby", "Tom", "Anna", "Omar", "Ivy",
      "Kai");

  static final List<String> OBJECTS = List.of(
      "apples", "pencils", "stickers", "marbles", "cookies", "books", "cards", "shells", "stamps",
      "balloons", "toys", "coins", "eggs", "flowers", "candies", "oranges", "crayons", "rocks",
      "beads", "cupcakes");

  /** Containers, singular then plural. */
  static final List<List<String>> GROUPS = List.of(
      List.of("bag", "bags"), List.of("box", "boxes"), List.of("jar", "jars"),
      List.of("basket", "baskets"), List.of("pack", "packs"), List.of("crate", "crates"));

  static final List<String> ITEMS = List.of("book", "toy", "hat", "ball", "kite", "lamp", "game",
      "cake", "shirt", "pen");

  static final Map<Integer, String> FRACTIONS = Map.of(
      2, "half", 3, "a third", 4, "a quarter", 5, "a fifth", 6, "a sixth", 7, "a seventh",
      8, "an eighth", 9, "a ninth", 10, "a tenth");

  /** One sentence of the question and the matching solution line (null for a plain opening). */
  record Step(String question, String solution) {}

  /** All templates of one theme (objects or money). */
  record Theme(
      List<String> openings,
      List<Step> products,
      List<Step> additions,
      List<Step> subtractions,
      List<Step> multiplications,
      List<Step> divisions,
      List<String> questions) {}

  static final Theme OBJECTS_THEME = new Theme(
      List.of("{P} has {a} {o}.", "{P} had {a} {o}.", "{P} collected {a} {o}.",
          "{P} owns {a} {o}."),
      List.of(
          new Step("{P} buys {a} {gs} of {o}. Each {g} has {b} {o}.",
              "{P} has {a} * {b} = <<{a}*{b}={y}>>{y} {o}."),
          new Step("{P} has {a} {gs} with {b} {o} in each {g}.",
              "{P} has {a} * {b} = <<{a}*{b}={y}>>{y} {o}."),
          new Step("{P} fills {a} {gs} with {b} {o} each.",
              "{P} has {a} * {b} = <<{a}*{b}={y}>>{y} {o}.")),
      List.of(
          new Step("{P} buys {b} more {o}.", "{P} has {x} + {b} = <<{x}+{b}={y}>>{y} {o}."),
          new Step("Then {P} finds {b} more {o}.",
              "{P} has {x} + {b} = <<{x}+{b}={y}>>{y} {o}."),
          new Step("{Q} gives {P} {b} more {o}.",
              "{P} has {x} + {b} = <<{x}+{b}={y}>>{y} {o}."),
          new Step("{P} gets {b} more {o} from {Q}.",
              "{P} has {x} + {b} = <<{x}+{b}={y}>>{y} {o}."),
          new Step("{P} wins {b} more {o}.", "{P} has {x} + {b} = <<{x}+{b}={y}>>{y} {o}.")),
      List.of(
          new Step("{P} gives {b} {o} to {Q}.", "{P} has {x} - {b} = <<{x}-{b}={y}>>{y} {o}."),
          new Step("{P} sells {b} of the {o}.", "{P} has {x} - {b} = <<{x}-{b}={y}>>{y} {o}."),
          new Step("{P} loses {b} {o}.", "{P} has {x} - {b} = <<{x}-{b}={y}>>{y} {o}."),
          new Step("Then {P} uses {b} of them.",
              "{P} has {x} - {b} = <<{x}-{b}={y}>>{y} {o}."),
          new Step("{P} gives away {b} {o}.",
              "{P} has {x} - {b} = <<{x}-{b}={y}>>{y} {o}.")),
      List.of(
          new Step("{Q} has {times} as many {o} as {P}.",
              "{Q} has {x} * {b} = <<{x}*{b}={y}>>{y} {o}."),
          new Step("{Q} collects {times} as many {o} as {P}.",
              "{Q} has {x} * {b} = <<{x}*{b}={y}>>{y} {o}.")),
      List.of(
          new Step("{Q} has {frac} as many {o} as {P}.",
              "{Q} has {x} / {b} = <<{x}/{b}={y}>>{y} {o}."),
          new Step("{P} puts the {o} into {b} equal {gs} and gives one to {Q}.",
              "{Q} gets {x} / {b} = <<{x}/{b}={y}>>{y} {o}."),
          new Step("{P} shares the {o} equally among {b} kids. {Q} is one of them.",
              "{Q} gets {x} / {b} = <<{x}/{b}={y}>>{y} {o}.")),
      List.of("How many {o} does {P} have now?", "Now how many {o} does {P} have?",
          "How many {o} does {P} have?"));

  static final Theme MONEY_THEME = new Theme(
      List.of("{P} has ${a}.", "{P} saved ${a}.", "{P} had ${a}."),
      List.of(
          new Step("{P} works {a} hours and earns ${b} each hour.",
              "{P} earns {a} * {b} = $<<{a}*{b}={y}>>{y}."),
          new Step("{P} sells {a} {o} for ${b} each.",
              "{P} gets {a} * {b} = $<<{a}*{b}={y}>>{y}.")),
      List.of(
          new Step("{P} earns ${b} more.", "{P} has {x} + {b} = $<<{x}+{b}={y}>>{y}."),
          new Step("{Q} gives {P} ${b}.", "{P} has {x} + {b} = $<<{x}+{b}={y}>>{y}."),
          new Step("Then {P} finds ${b}.", "{P} has {x} + {b} = $<<{x}+{b}={y}>>{y}.")),
      List.of(
          new Step("{P} spends ${b} on a {item}.",
              "{P} has {x} - {b} = $<<{x}-{b}={y}>>{y}."),
          new Step("{P} pays ${b} for a {item}.",
              "{P} has {x} - {b} = $<<{x}-{b}={y}>>{y}."),
          new Step("{P} gives ${b} to {Q}.", "{P} has {x} - {b} = $<<{x}-{b}={y}>>{y}.")),
      List.of(
          new Step("{Q} has {times} as much money as {P}.",
              "{Q} has {x} * {b} = $<<{x}*{b}={y}>>{y}.")),
      List.of(
          new Step("{Q} has {frac} as much money as {P}.",
              "{Q} has {x} / {b} = $<<{x}/{b}={y}>>{y}."),
          new Step("{P} shares the money equally among {b} friends. {Q} is one of them.",
              "{Q} gets {x} / {b} = $<<{x}/{b}={y}>>{y}.")),
      List.of("How much money does {P} have now?", "How many dollars does {P} have now?",
          "How much money does {P} have?"));

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)\\}");

  /** A solution line opens with its subject and verb: {@code "{Q} gets {x} / {b} = ..."}. */
  private static final Pattern SOLUTION_OPENING = Pattern.compile("^(\\{[PQ]\\}) ([a-z]+) ");

  /** Who a step's solution line is about, as a placeholder: {@code {P}} or {@code {Q}}. */
  static String solutionSubject(Step step) {
    return solutionOpening(step).group(1);
  }

  /** The verb of a step's solution line: {@code has}, {@code gets} or {@code earns}. */
  static String solutionVerb(Step step) {
    return solutionOpening(step).group(2);
  }

  private static Matcher solutionOpening(Step step) {
    Matcher m = SOLUTION_OPENING.matcher(step.solution());
    if (!m.find()) {
      throw new IllegalStateException("a solution line must open with {P} or {Q} and a verb: "
          + step.solution());
    }
    return m;
  }

  /** Replaces every {@code {name}} by its value; an unknown name is a bug, so it throws. */
  static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("no value for {" + m.group(1) + "} in: " + template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Every literal piece of text the templates can produce: the template text between
   * placeholders, and each entity word with and without a leading space. The tokenizer's
   * vocabulary is built from these.
   */
  static List<String> vocabularyTexts() {
    List<String> texts = new ArrayList<>();
    for (Theme theme : List.of(OBJECTS_THEME, MONEY_THEME)) {
      List<String> all = new ArrayList<>(theme.openings());
      all.addAll(theme.questions());
      for (List<Step> steps : List.of(theme.products(), theme.additions(),
          theme.subtractions(), theme.multiplications(), theme.divisions())) {
        for (Step step : steps) {
          all.add(step.question());
          all.add(step.solution());
        }
      }
      for (String template : all) {
        // Sentences are joined by a space, so each may also start with one.
        texts.addAll(List.of(PLACEHOLDER.split(template)));
        texts.addAll(List.of(PLACEHOLDER.split(" " + template)));
      }
    }
    List<String> words = new ArrayList<>(NAMES);
    words.addAll(OBJECTS);
    GROUPS.forEach(words::addAll);
    words.addAll(ITEMS);
    words.addAll(FRACTIONS.values());
    words.addAll(List.of("twice", "times"));
    for (String word : words) {
      texts.add(word);
      texts.add(" " + word);
    }
    return texts;
  }
}
