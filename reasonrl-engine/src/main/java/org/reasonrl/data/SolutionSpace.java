package org.reasonrl.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.reasonrl.data.Story.Operation;
import org.reasonrl.data.Story.Step;

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

  private SolutionSpace(String answer, Map<List<String>, SolutionPath> paths) {
    this.answer = answer;
    this.paths = paths;
  }

  /** The solution space of a drawn question. */
  static SolutionSpace of(Story story) {
    return new Builder(story).build();
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

  /** Enumerates the paths of one story. */
  private static final class Builder {

    /** What a line says about its result. */
    private enum Kind { HOLDS, GAINS, LOSES, FACTOR }

    /**
     * A line before wording: {@code subject verb display = <<body>>result ...}; {@code base} is
     * the person a factor compares with.
     */
    private record Draft(Kind kind, String subject, String verb, String display, String body,
        int result, String base) {}

    private final Story story;
    private final List<Step> steps;
    private final Map<List<String>, List<Set<String>>> found = new LinkedHashMap<>();

    Builder(Story story) {
      this.story = story;
      this.steps = story.steps();
    }

    SolutionSpace build() {
      expand(0, new ArrayList<>());
      Map<List<String>, SolutionPath> paths = new LinkedHashMap<>();
      String answer = Integer.toString(story.answer());
      found.forEach((annotations, wordings) -> {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
          lines.add(new Line(annotations.get(i), List.copyOf(wordings.get(i))));
        }
        paths.put(annotations, new SolutionPath(lines, answer));
      });
      return new SolutionSpace(answer, paths);
    }

    /** Every way to write steps {@code i..} after the lines in {@code prefix}. */
    private void expand(int i, List<Draft> prefix) {
      if (i == steps.size()) {
        record(prefix);
        return;
      }
      for (Segment segment : segments(i)) {
        List<Draft> next = new ArrayList<>(prefix);
        next.addAll(segment.lines());
        expand(i + segment.covers(), next);
      }
    }

    /** Lines that write the next {@code covers} steps. */
    private record Segment(int covers, List<Draft> lines) {}

    /** The alternative ways to write the steps starting at {@code i}. */
    private List<Segment> segments(int i) {
      List<Segment> out = new ArrayList<>();
      Step step = steps.get(i);
      for (String[] order : orders(left(step), step.operation(), step.amount())) {
        out.add(new Segment(1, List.of(holds(step, order[0], order[1]))));
      }
      if (i + 1 < steps.size()) {
        out.add(new Segment(2, List.of(merged(i))));
        for (List<Draft> lines : combined(i)) {
          out.add(new Segment(2, lines));
        }
      }
      return out;
    }

    /** {@code [display, body]} for {@code a op b}, and for {@code b op a} when it commutes. */
    private static List<String[]> orders(String a, Operation op, int b) {
      return orders(a, op, Integer.toString(b));
    }

    private static List<String[]> orders(String a, Operation op, String b) {
      List<String[]> orders = new ArrayList<>();
      orders.add(new String[] {a + " " + op.symbol + " " + b, a + op.symbol + b});
      if (op.commutative() && !a.equals(b)) {
        orders.add(new String[] {b + " " + op.symbol + " " + a, b + op.symbol + a});
      }
      return orders;
    }

    private static String left(Step step) {
      return Integer.toString(step.left());
    }

    private Draft holds(Step step, String display, String body) {
      return new Draft(Kind.HOLDS, step.holder(), step.verb(), display,
          body + "=" + step.result(), step.result(), step.base());
    }

    /** Steps {@code i} and {@code i + 1} on one line, in story order. */
    private Draft merged(int i) {
      Step first = steps.get(i);
      Step second = steps.get(i + 1);
      String display = left(first) + " " + first.operation().symbol + " " + first.amount();
      String body = left(first) + first.operation().symbol + first.amount();
      // Only a sum or difference needs brackets before * or /; a*b+c reads as it computes.
      if (first.operation().additive() && !second.operation().additive()) {
        display = "(" + display + ")";
        body = "(" + body + ")";
      }
      display += " " + second.operation().symbol + " " + second.amount();
      body += String.valueOf(second.operation().symbol) + second.amount();
      return new Draft(Kind.HOLDS, second.holder(), second.verb(), display,
          body + "=" + second.result(), second.result(), first.base());
    }

    /**
     * Steps {@code i} and {@code i + 1} through another intermediate quantity: their combined
     * or net amount first, then one step with it.
     */
    private List<List<Draft>> combined(int i) {
      Step first = steps.get(i);
      Step second = steps.get(i + 1);
      List<List<Draft>> out = new ArrayList<>();
      if (first.opening()) {
        return out;
      }
      Operation applied;
      int amount;
      Kind kind;
      List<String[]> amountOrders;
      String b1 = Integer.toString(first.amount());
      String b2 = Integer.toString(second.amount());
      if (first.operation().additive() && second.operation().additive()) {
        if (first.operation() == second.operation()) {
          applied = first.operation();
          amount = first.amount() + second.amount();
          kind = applied == Operation.ADD ? Kind.GAINS : Kind.LOSES;
          amountOrders = orders(b1, Operation.ADD, b2);
        } else {
          int gained = first.operation() == Operation.ADD ? first.amount() : second.amount();
          int lost = first.operation() == Operation.ADD ? second.amount() : first.amount();
          if (Math.abs(gained - lost) < SyntheticBenchmark.MIN_AMOUNT) {
            return out; // "0 more apples" is no quantity a solution would name
          }
          boolean gain = gained > lost;
          applied = gain ? Operation.ADD : Operation.SUBTRACT;
          amount = Math.abs(gained - lost);
          kind = gain ? Kind.GAINS : Kind.LOSES;
          String big = Integer.toString(Math.max(gained, lost));
          String small = Integer.toString(Math.min(gained, lost));
          amountOrders = orders(big, Operation.SUBTRACT, small);
        }
      } else if (first.operation() == Operation.MULTIPLY
          && second.operation() == Operation.MULTIPLY) {
        applied = Operation.MULTIPLY;
        amount = first.amount() * second.amount();
        kind = Kind.FACTOR;
        amountOrders = orders(b1, Operation.MULTIPLY, b2);
      } else {
        return out;
      }
      String total = Integer.toString(amount);
      for (String[] amountOrder : amountOrders) {
        Draft amountLine = new Draft(kind, second.holder(), "has", amountOrder[0],
            amountOrder[1] + "=" + amount, amount, first.base());
        for (String[] order : orders(left(first), applied, total)) {
          out.add(List.of(amountLine, new Draft(Kind.HOLDS, second.holder(), second.verb(),
              order[0], order[1] + "=" + second.result(), second.result(), first.base())));
        }
      }
      return out;
    }

    private void record(List<Draft> drafts) {
      List<String> annotations = drafts.stream().map(Draft::body).toList();
      List<Set<String>> wordings = found.computeIfAbsent(annotations, a -> {
        List<Set<String>> empty = new ArrayList<>();
        drafts.forEach(d -> empty.add(new LinkedHashSet<>()));
        return empty;
      });
      for (int i = 0; i < drafts.size(); i++) {
        wordings.get(i).addAll(wordings(drafts.get(i), i == 0));
      }
    }

    /** The admissible texts of a line; the first is the plain (version-1) wording. */
    private List<String> wordings(Draft d, boolean firstLine) {
      String annotated = story.money()
          ? "$<<" + d.body() + ">>" + d.result()
          : "<<" + d.body() + ">>" + d.result();
      String rest = switch (d.kind()) {
        case HOLDS -> story.money() ? "." : " " + story.objects() + ".";
        case GAINS -> story.money() ? " more." : " more " + story.objects() + ".";
        case LOSES -> story.money() ? "." : " " + story.objects() + ".";
        case FACTOR -> story.money()
            ? " times as much money as " + d.base() + "."
            : " times as many " + story.objects() + " as " + d.base() + ".";
      };
      // A factor is a bare number even in a money story: "6 times as much money".
      if (d.kind() == Kind.FACTOR) {
        annotated = "<<" + d.body() + ">>" + d.result();
      }
      String verb = switch (d.kind()) {
        case HOLDS -> d.verb();
        case GAINS -> "gets";
        case LOSES -> story.money() ? "spends" : "loses";
        case FACTOR -> "has";
      };
      String said = d.subject() + " " + verb + " ";
      String spelled = d.display() + " = " + annotated + rest;
      List<String> out = new ArrayList<>();
      out.add(said + spelled);
      if (verb.equals("has") && d.kind() == Kind.HOLDS) {
        out.add(d.subject() + " now has " + spelled);
      }
      if (!firstLine) {
        out.add("Then " + said + spelled);
      }
      out.add(said + annotated + rest);
      return out;
    }
  }
}
