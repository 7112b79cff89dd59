package org.reasonrl.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Version 2 of the embedded benchmark (issue #10). Questions are drawn exactly as in version 1
 * ({@link SyntheticBenchmark}, same templates, ranges and step mix), but:
 *
 * <ul>
 *   <li>each question admits several valid solutions, its {@link SolutionSpace}; the reference
 *       is one of them, drawn with the generator's seed, so SFT sees one path a question and RL
 *       or EI can find others;
 *   <li>the splits are disjoint by arithmetic, not only by text: no two splits hold questions
 *       with the same operations and the same given numbers ({@link Story#twinKey}) — version 1
 *       lets ~31% of its test questions have such a twin in train;
 *   <li>the train set is fixed and small ({@link SyntheticV2Options#trainSize()}, default 3000),
 *       so SFT can overfit it as the paper's does GSM8K's 7,473, and a validation split is held
 *       out beside it.
 * </ul>
 *
 * <p>Splits are drawn test, then validation, then train, from one random stream; a question
 * whose arithmetic an earlier split already holds is drawn again with the same number of steps,
 * so the step mix is kept. Within a split, twins are allowed (as GSM8K has them) but repeated
 * question texts are not. A question is kept only if every valid solution text, with the
 * zero-shot prompt, fits {@link SyntheticOptions#maxTokens()}. The vocabulary is version 1's.
 */
public final class SyntheticBenchmarkV2 {

  /** Names the generator: the dataset name and {@link SyntheticFiles#DESCRIPTION_FILE}'s. */
  public static final String VERSION = "synthetic-v2";

  private static final int MAX_ATTEMPTS = 1000;
  private static final PromptFormat ZERO_SHOT = PromptFormat.zeroShot();

  /**
   * One generated question with what a test or metric needs beyond the problem.
   *
   * @param problem the question, its reference solution (one path of {@code solutions}), answer
   * @param solutions every valid solution text of the question
   * @param twinKey its operations and given numbers; no other split holds the same key
   */
  public record Question(Problem problem, SolutionSpace solutions, String twinKey) {}

  /** The three splits. */
  public record Splits(List<Question> train, List<Question> validation, List<Question> test) {

    public Splits {
      train = List.copyOf(train);
      validation = List.copyOf(validation);
      test = List.copyOf(test);
    }

    /** The problems of {@code split}: {@code train}, {@code validation} or {@code test}. */
    public List<Problem> problems(String split) {
      List<Question> questions = switch (split) {
        case "train" -> train;
        case "validation" -> validation;
        case "test" -> test;
        default -> throw new IllegalArgumentException("unknown split '" + split
            + "': expected train, validation or test");
      };
      return questions.stream().map(Question::problem).toList();
    }
  }

  private final SyntheticV2Options options;
  private final SyntheticBenchmark drawer;

  public SyntheticBenchmarkV2(SyntheticV2Options options) {
    this.options = options;
    this.drawer = new SyntheticBenchmark(options.questions());
  }

  public SyntheticV2Options options() {
    return options;
  }

  /** All three splits; deterministic in the options. */
  public Splits generate() {
    Random random = new Random(options.seed());
    Map<String, String> splitOfKey = new HashMap<>();
    List<Question> test = draw(random, options.testSize(), "test", splitOfKey);
    List<Question> validation = draw(random, options.validationSize(), "validation", splitOfKey);
    List<Question> train = draw(random, options.trainSize(), "train", splitOfKey);
    return new Splits(train, validation, test);
  }

  private List<Question> draw(Random random, int count, String split,
      Map<String, String> splitOfKey) {
    List<Question> questions = new ArrayList<>(count);
    Set<String> texts = new HashSet<>();
    while (questions.size() < count) {
      String id = String.format("%s-%s-%05d", VERSION, split, questions.size());
      Question q = question(random, id, split, splitOfKey, texts);
      questions.add(q);
      texts.add(q.problem().question());
      splitOfKey.putIfAbsent(q.twinKey(), split);
    }
    return questions;
  }

  /** A question for {@code split}: new text, arithmetic no other split holds, fitting. */
  private Question question(Random random, String id, String split,
      Map<String, String> splitOfKey, Set<String> texts) {
    int steps = drawer.sampleSteps(random);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Story story = drawer.story(random, steps);
      if (story == null || texts.contains(story.question())) {
        continue;
      }
      String owner = splitOfKey.get(story.twinKey());
      if (owner != null && !owner.equals(split)) {
        continue;
      }
      SolutionSpace solutions = SolutionSpace.of(story);
      if (tokenCount(story.question(), solutions.longestText()) > options.questions().maxTokens()) {
        continue;
      }
      String reference = solutions.sample(random);
      Problem problem =
          new Problem(id, story.question(), reference, Integer.toString(story.answer()));
      return new Question(problem, solutions, story.twinKey());
    }
    throw new IllegalStateException("cannot draw a new " + steps + "-step " + split
        + " question whose arithmetic no other split holds after " + MAX_ATTEMPTS
        + " attempts with " + options + "; ask for fewer problems or widen the number ranges");
  }

  /** Tokens of the zero-shot prompt and completion, with BOS and EOS (as version 1 counts). */
  private static int tokenCount(String question, String solution) {
    return WordLevelTokenizerJson.pieces(ZERO_SHOT.prompt(question)
        + PromptFormat.completion(solution)).size() + 2;
  }
}
