package org.reasonrl.maven;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code reasonrl.*} properties that name no parameter of any goal: Maven ignores them silently,
 * so {@code -Dreasonrl.temprature=0.1} would run at the default temperature. Each is warned about,
 * naming the closest parameter of the running goal (or of another goal).
 */
final class UnknownProperties {

  static final String PREFIX = "reasonrl.";

  /** Properties of the build that are not parameters: the grid's runs directory. */
  private static final Set<String> NOT_PARAMETERS = Set.of("reasonrl.runs");

  private UnknownProperties() {}

  /**
   * One warning per given {@code reasonrl.*} property that no goal knows.
   *
   * @param given property names set by the user ({@code -D}, system properties)
   * @param goal the running goal
   * @param parameters the properties of every goal of the plugin, by goal
   */
  static List<String> warnings(Collection<String> given, String goal,
      Map<String, ? extends Collection<String>> parameters) {
    Set<String> known = new TreeSet<>(NOT_PARAMETERS);
    parameters.values().forEach(known::addAll);
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(given)) {
      if (!name.startsWith(PREFIX) || known.contains(name)) {
        continue;
      }
      String hint;
      Collection<String> ofThisGoal = parameters.get(goal);
      String ofGoal = ofThisGoal == null ? null : closest(name, ofThisGoal);
      String anywhere = closest(name, known);
      if (ofGoal != null) {
        hint = "did you mean " + ofGoal + "?";
      } else if (anywhere != null) {
        hint = "did you mean " + anywhere + " (a parameter of " + goalsOf(anywhere, parameters)
            + ", not of " + goal + ")?";
      } else {
        hint = "'reasonrl:help -Ddetail -Dgoal=" + goal + "' lists the parameters of " + goal;
      }
      warnings.add("-D" + name + " is not a parameter of any reasonrl goal and is ignored; "
          + hint);
    }
    return warnings;
  }

  /** The nearest name within a few edits (a third of the name, at least two), or null. */
  static String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(candidates)) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int suffix = name.length() - PREFIX.length();
    return bestDistance <= Math.max(2, suffix / 3) ? best : null;
  }

  /** Edits (insert, delete, substitute, swap two neighbours) from {@code a} to {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String goalsOf(String property,
      Map<String, ? extends Collection<String>> parameters) {
    return String.join(", ", parameters.entrySet().stream()
        .filter(e -> e.getValue().contains(property)).map(Map.Entry::getKey).sorted().toList());
  }
}
