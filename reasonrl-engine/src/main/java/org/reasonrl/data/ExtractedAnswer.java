package org.reasonrl.data;

/**
 * The final answer found in a completion, and which rule found it.
 *
 * @param raw the matched text as it appeared (e.g. {@code $1,000.}), or {@code null} for none
 * @param normalized {@link Answers#normalize}d text (e.g. {@code 1000}), or {@code null}
 * @param rule {@code STRICT} ({@code #### N}), {@code FLEXIBLE} (last number) or {@code NONE}
 */
public record ExtractedAnswer(String raw, String normalized, Rule rule) {

  /** Which extraction rule matched, as in lm-evaluation-harness's GSM8K task. */
  public enum Rule {
    STRICT,
    FLEXIBLE,
    NONE
  }

  public static final ExtractedAnswer NONE = new ExtractedAnswer(null, null, Rule.NONE);

  public boolean present() {
    return rule != Rule.NONE;
  }

  /** The key under which equal numbers vote together ({@code 18}, {@code 18.0} give {@code 18}). */
  public String voteKey() {
    return normalized == null ? null : Answers.canonical(normalized);
  }
}
