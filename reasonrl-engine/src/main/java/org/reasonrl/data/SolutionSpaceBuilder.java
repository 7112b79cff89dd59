package org.reasonrl.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reasonrl.data.SolutionSpace.Line;
import org.reasonrl.data.SolutionSpace.SolutionPath;
import org.reasonrl.data.Story.Operation;
import org.reasonrl.data.Story.Step;

/**
 * Enumerates the paths of one story into its {@link SolutionSpace}: every admissible sequence of
 * annotations (operand orders, merged steps, combined quantities; see {@link SolutionSpace}) and
 * the wordings of each line.
 */
final class SolutionSpaceBuilder {

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

  SolutionSpaceBuilder(Story story) {
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
