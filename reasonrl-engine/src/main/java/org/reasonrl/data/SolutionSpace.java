package org.reasonrl.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Every valid worked solution of one question of the version-2 benchmark, in GSM8K's format:
 * lines with one calculator annotation each, then {@code #### N}.
 *
 * <p>A <em>path</em> is a sequence of calculator annotations that computes the answer from the
 * question's numbers; its <em>texts</em> are any choice of one wording per line. Paths differ
 * by:
 *
 * <ul>
 *   <li>operand order of a two-operand {@code +} or {@code *} line ({@code 3+4} or {@code 4+3});
 *   <li>two consecutive steps merged into one line ({@code <<20+5-8=17>>}, with parentheses when
 *       a sum is multiplied: {@code <<(20+5)*3=75>>}) or kept apart; never more
 *       than two steps share a line (a whole problem on one line is no worked solution);
 *   <li>another intermediate quantity where the question allows it: two consecutive additions or
 *       removals combined first ({@code 5+7=12} more, then {@code 20+12}), their net change
 *       ({@code 8-5=3} fewer, then {@code 20-3}; only when it is at least 2), or two consecutive
 *       "times as many" combined into one factor ({@code 3*2=6} times as many).
 * </ul>
 *
 * Wordings of a line: the plain one (version 1's line for the same step), "now has", "Then ..."
 * (not on the first line) and the annotation alone without the spelled-out expression
 * ({@code Mia has <<20+5=25>>25 apples.}); all in the version-1 vocabulary. Steps are never
 * reordered (applying a removal before an addition), and two divisions are never combined into
 * one divisor: neither reads naturally in these stories.
 *
 * <p>The first path is version 1's shape (one line a step, story order) and its first wording
 * of each line is version 1's line, so a version-1 solution of the same story is in the space.
 */
public final class SolutionSpace {

  /** {@link #texts()} refuses spaces larger than this. */
  static final int MAX_LISTED_TEXTS = 100_000;

  /**
   * One line of a path.
   *
   * @param annotation the calculator annotation's body, {@code 20+5=25}
   * @param wordings the admissible texts of the line, each carrying that annotation once
   */
  public record Line(String annotation, List<String> wordings) {
    public Line {
      wordings = List.copyOf(wordings);
    }
  }

  /** One path: its lines and the final answer they reach. */
  public record SolutionPath(List<Line> lines, String answer) {
    public SolutionPath {
      lines = List.copyOf(lines);
    }

    /** The path's identity: its annotations in order. */
    public List<String> annotations() {
      return lines.stream().map(Line::annotation).toList();
    }

    /** How many texts the path has: the product of its lines' wording counts. */
    public long textCount() {
      long count = 1;
      for (Line line : lines) {
        count *= line.wordings().size();
      }
      return count;
    }

    /** Whether {@code solution} is one of this path's texts. */
    public boolean accepts(String solution) {
      String[] parts = solution.split("\n", -1);
      if (parts.length != lines.size() + 1 || !parts[lines.size()].equals(finalLine(answer))) {
        return false;
      }
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).wordings().contains(parts[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private final String answer;
  private final Map<List<String>, SolutionPath> paths;

  SolutionSpace(String answer, Map<List<String>, SolutionPath> paths) {
    this.answer = answer;
    this.paths = paths;
  }

  /** The solution space of a drawn question. */
  static SolutionSpace of(Story story) {
    return new SolutionSpaceBuilder(story).build();
  }

  public String answer() {
    return answer;
  }

  /** The paths, version 1's shape first; no two have the same annotations. */
  public List<SolutionPath> paths() {
    return List.copyOf(paths.values());
  }

  public int pathCount() {
    return paths.size();
  }

  /** How many distinct solution texts are valid. */
  public long textCount() {
    return paths.values().stream().mapToLong(SolutionPath::textCount).sum();
  }

  /** Whether {@code solution} is exactly one of the valid texts. */
  public boolean contains(String solution) {
    return pathOf(solution).isPresent();
  }

  /**
   * The path {@code solution} follows, when it is a valid text; a later metric can compare
   * paths (not wordings) against the reference's.
   */
  public Optional<SolutionPath> pathOf(String solution) {
    SolutionPath path = paths.get(Answers.annotations(solution));
    return path != null && path.accepts(solution) ? Optional.of(path) : Optional.empty();
  }

  /** A uniformly drawn path, then a uniformly drawn wording of each of its lines. */
  public String sample(Random random) {
    SolutionPath path = paths().get(random.nextInt(paths.size()));
    List<String> lines = new ArrayList<>();
    for (Line line : path.lines()) {
      lines.add(line.wordings().get(random.nextInt(line.wordings().size())));
    }
    lines.add(finalLine(answer));
    return String.join("\n", lines);
  }

  /** Every valid text, for small spaces (tests, hand-worked examples). */
  public List<String> texts() {
    if (textCount() > MAX_LISTED_TEXTS) {
      throw new IllegalStateException(textCount() + " texts are too many to list");
    }
    List<String> texts = new ArrayList<>();
    for (SolutionPath path : paths.values()) {
      collect(path, 0, new ArrayList<>(), texts);
    }
    return texts;
  }

  private void collect(SolutionPath path, int line, List<String> chosen, List<String> out) {
    if (line == path.lines().size()) {
      List<String> all = new ArrayList<>(chosen);
      all.add(finalLine(answer));
      out.add(String.join("\n", all));
      return;
    }
    for (String wording : path.lines().get(line).wordings()) {
      chosen.add(wording);
      collect(path, line + 1, chosen, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  /** The valid text with the most tokens (its longest wording of every line, longest path). */
  public String longestText() {
    List<String> longest = null;
    int most = -1;
    for (SolutionPath path : paths.values()) {
      List<String> lines = new ArrayList<>();
      int count = 0;
      for (Line line : path.lines()) {
        String best = null;
        int bestCount = -1;
        for (String wording : line.wordings()) {
          int n = tokens(wording);
          if (n > bestCount) {
            best = wording;
            bestCount = n;
          }
        }
        lines.add(best);
        count += bestCount;
      }
      // Line pieces add up: each line opens with a word, and every newline is a piece.
      if (count + lines.size() > most) {
        most = count + lines.size();
        longest = lines;
      }
    }
    List<String> text = new ArrayList<>(longest);
    text.add(finalLine(answer));
    return String.join("\n", text);
  }

  private static int tokens(String text) {
    return WordLevelTokenizerJson.pieces(text).size();
  }

  private static String finalLine(String answer) {
    return Answers.FINAL_ANSWER_MARKER + " " + answer;
  }
}
