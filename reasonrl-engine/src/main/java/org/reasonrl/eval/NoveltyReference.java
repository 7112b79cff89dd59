package org.reasonrl.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reasonrl.data.Answers;
import org.reasonrl.data.Problem;

/**
 * Known solution paths per problem id — e.g. the SFT data's reference solutions — against which
 * a correct sample is novel (claim 4: does RL find solutions SFT did not?).
 *
 * <p>A solution's <b>path</b> is the ordered sequence of its step results: the text is cut before
 * its first {@code ####} line (the answer line and anything after it are not steps); each
 * remaining line gives the results of its calculator annotations in order ({@code <<3+4=7>>}
 * gives 7), or, without annotations, its last number, or nothing; numbers are compared by value
 * ({@code 7.0}, {@code 7} and {@code 7,000}/{@code 7000} alike). So wording and operand order do
 * not make a new path; other intermediate quantities, another order of steps, or merged or split
 * steps do. The same rule reads samples and references.
 */
public final class NoveltyReference {

  private final Map<String, Set<List<String>>> paths = new HashMap<>();

  /** @param referenceTexts per problem id, its known solutions (at least one each) */
  public NoveltyReference(Map<String, ? extends Collection<String>> referenceTexts) {
    referenceTexts.forEach((id, texts) -> {
      if (texts.isEmpty()) {
        throw new IllegalArgumentException("problem " + id + " has no reference solution");
      }
      Set<List<String>> known = new HashSet<>();
      texts.forEach(text -> known.add(path(text)));
      paths.put(id, known);
    });
  }

  /** The reference solutions of the problems that have one (e.g. an SFT train set). */
  public static NoveltyReference of(List<Problem> problems) {
    Map<String, List<String>> texts = new HashMap<>();
    for (Problem p : problems) {
      if (p.hasReferenceSolution()) {
        texts.computeIfAbsent(p.id(), id -> new ArrayList<>()).add(p.referenceSolution());
      }
    }
    return new NoveltyReference(texts);
  }

  /** A solution's path by the rule above: canonical step results in order. */
  public static List<String> path(String solution) {
    List<String> path = new ArrayList<>();
    for (String line : solution.split("\n")) {
      String step = line.strip();
      if (step.startsWith(Answers.FINAL_ANSWER_MARKER)) {
        break;
      }
      for (BigDecimal value : Answers.referenceStepValues(step)) {
        path.add(Answers.canonical(value.toPlainString()));
      }
    }
    return path;
  }

  /** Problems with at least one reference. */
  public int size() {
    return paths.size();
  }

  public boolean covers(String problemId) {
    return paths.containsKey(problemId);
  }

  /** Whether {@code solution}'s path is none of the problem's references' (it must be covered). */
  public boolean isNovel(String problemId, String solution) {
    Set<List<String>> known = paths.get(problemId);
    if (known == null) {
      throw new IllegalArgumentException("no reference solution for problem " + problemId);
    }
    return !known.contains(path(solution));
  }

  /**
   * Novelty of the correct temperature samples (all n; not the greedy one) of the problems this
   * reference covers; problems it does not cover are left out and not counted.
   */
  public Novelty measure(List<ProblemOutcome> outcomes) {
    int referenced = 0;
    int correct = 0;
    int novel = 0;
    for (ProblemOutcome o : outcomes) {
      if (!covers(o.problemId())) {
        continue;
      }
      referenced++;
      for (Sample s : o.samples()) {
        if (s.correct()) {
          correct++;
          novel += isNovel(o.problemId(), s.text()) ? 1 : 0;
        }
      }
    }
    return new Novelty(referenced, correct, novel, correct == 0 ? null : (double) novel / correct);
  }
}
