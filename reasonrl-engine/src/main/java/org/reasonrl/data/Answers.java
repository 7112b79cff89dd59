package org.reasonrl.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final-answer extraction and comparison, following the conventions of lm-evaluation-harness's
 * GSM8K task: strict {@code #### (\-?[0-9\.\,]+)} (first match), then the flexible fallback (the
 * last match of {@code (-?[$0-9.,]{2,})|(-?[0-9]+)}); commas, {@code $} and one trailing
 * {@code .} are ignored when comparing. We compare numerically, so {@code 18} equals {@code 18.0}.
 */
public final class Answers {

  /** Opens a GSM8K solution's final line, {@code #### N}. */
  public static final String FINAL_ANSWER_MARKER = "####";
  public static final Pattern STRICT = Pattern.compile("#### (\\-?[0-9\\.\\,]+)");
  public static final Pattern FLEXIBLE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
  private static final Pattern ANNOTATION = Pattern.compile("<<([^<>]*)>>");
  private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
  private static final Pattern FINAL_LINE = Pattern.compile("^#### ", Pattern.MULTILINE);

  private Answers() {}

  /** Strict {@code #### N} first, else the last number-like match, else {@link ExtractedAnswer#NONE}. */
  public static ExtractedAnswer extract(String completion) {
    if (completion == null) {
      return ExtractedAnswer.NONE;
    }
    Matcher strict = STRICT.matcher(completion);
    if (strict.find()) {
      return answer(strict.group(1), ExtractedAnswer.Rule.STRICT);
    }
    Matcher flexible = FLEXIBLE.matcher(completion);
    String last = null;
    while (flexible.find()) {
      last = flexible.group(1) != null ? flexible.group(1) : flexible.group(2);
    }
    return last == null ? ExtractedAnswer.NONE : answer(last, ExtractedAnswer.Rule.FLEXIBLE);
  }

  private static ExtractedAnswer answer(String raw, ExtractedAnswer.Rule rule) {
    return new ExtractedAnswer(raw, normalize(raw), rule);
  }

  /** Removes commas and {@code $}, surrounding blanks, and one trailing {@code .}. */
  public static String normalize(String text) {
    String s = text.replace(",", "").replace("$", "").trim();
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** A number's canonical text ({@code 18.0} -> {@code 18}); non-numbers come back normalised. */
  public static String canonical(String text) {
    BigDecimal value = numericValue(text);
    if (value == null) {
      return normalize(text);
    }
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }

  /** The number in {@code text} after normalisation, or {@code null} when it is not a number. */
  public static BigDecimal numericValue(String text) {
    if (text == null) {
      return null;
    }
    String s = normalize(text);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** True when both are the same number after normalisation, or the same normalised text. */
  public static boolean equivalent(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    BigDecimal x = numericValue(a);
    BigDecimal y = numericValue(b);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    return normalize(a).equals(normalize(b));
  }

  /** True when the completion's extracted answer equals the gold answer. */
  public static boolean isCorrect(ExtractedAnswer extracted, String gold) {
    return extracted.present() && equivalent(extracted.normalized(), gold);
  }

  /**
   * Whether {@code text} has written its {@code #### N} line and ended it with a newline: the
   * point where a GSM8K-format completion is done (generation stops there by default).
   */
  public static boolean hasCompleteAnswerLine(CharSequence text) {
    String s = text.toString();
    int marker = s.indexOf(FINAL_ANSWER_MARKER);
    return marker >= 0 && s.indexOf('\n', marker) >= 0;
  }

  /**
   * The final answer of a GSM8K-format solution: the normalised text after its {@code #### }
   * line, or {@code null} when it has none.
   */
  public static String finalAnswerOfSolution(String solution) {
    Matcher m = FINAL_LINE.matcher(solution);
    int start = -1;
    while (m.find()) {
      start = m.end();
    }
    if (start < 0) {
      return null;
    }
    int end = solution.indexOf('\n', start);
    String value = normalize(end < 0 ? solution.substring(start) : solution.substring(start, end));
    return value.isEmpty() ? null : value;
  }

  /**
   * The intermediate values of a reference solution, in order, for the dense reward: on each step
   * line the result of every calculator annotation ({@code <<48/2=24>>} gives 24), or, on a line
   * without annotations, its last number. The final {@code #### N} line is not a step.
   */
  public static List<BigDecimal> referenceStepValues(String solution) {
    List<BigDecimal> values = new ArrayList<>();
    for (String line : solution.split("\n")) {
      if (line.startsWith("####")) {
        continue;
      }
      Matcher annotation = ANNOTATION.matcher(line);
      boolean annotated = false;
      while (annotation.find()) {
        String body = annotation.group(1);
        int eq = body.lastIndexOf('=');
        BigDecimal value = eq < 0 ? null : numericValue(body.substring(eq + 1));
        if (value != null) {
          values.add(value);
          annotated = true;
        }
      }
      if (!annotated) {
        BigDecimal last = lastNumber(line);
        if (last != null) {
          values.add(last);
        }
      }
    }
    return values;
  }

  /**
   * The result of one generated step (a line), for matching against {@link
   * #referenceStepValues}: the result of its last calculator annotation with a numeric result
   * ({@code <<12+5=17>>} gives 17), else its last number, else {@code null}. One value a line,
   * where the reference side takes every annotation: a step earns at most once.
   */
  public static BigDecimal stepResult(String line) {
    Matcher annotation = ANNOTATION.matcher(line);
    BigDecimal result = null;
    while (annotation.find()) {
      String body = annotation.group(1);
      int eq = body.lastIndexOf('=');
      BigDecimal value = eq < 0 ? null : numericValue(body.substring(eq + 1));
      if (value != null) {
        result = value;
      }
    }
    return result != null ? result : lastNumber(line);
  }

  private static BigDecimal lastNumber(String line) {
    Matcher number = NUMBER.matcher(line);
    String last = null;
    while (number.find()) {
      last = number.group();
    }
    return last == null ? null : numericValue(last);
  }

  /** The calculator annotations of a solution, as {@code expression=result} bodies. */
  public static List<String> annotations(String solution) {
    List<String> bodies = new ArrayList<>();
    Matcher m = ANNOTATION.matcher(solution);
    while (m.find()) {
      bodies.add(m.group(1));
    }
    return bodies;
  }
}
