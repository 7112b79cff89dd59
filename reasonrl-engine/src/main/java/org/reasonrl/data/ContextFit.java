package org.reasonrl.data;

import java.util.ArrayList;
import java.util.List;
import org.reasonrl.text.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Problems too long for a model's context are bad records, like malformed ones: each is named
 * (its source and problem id) and stops the job before any work, or with
 * {@code failOnBadRecord=false} is skipped, logged and counted (when none is left, that is an
 * error too). Jobs check this in their
 * {@code validate()}, where the tokenizer and the model's context are known.
 */
public final class ContextFit {

  private static final Logger LOG = LoggerFactory.getLogger(ContextFit.class);

  private ContextFit() {}

  /** The problems that fit, and the records skipped for their length. */
  public record Fitted(List<Problem> problems, List<SkippedRecord> skipped) {

    public Fitted {
      problems = List.copyOf(problems);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * For sampling: each prompt in {@code format} must leave the model at least one position of
   * its {@code context} to answer in.
   */
  public static Fitted prompts(List<Problem> problems, String source, Tokenizer tokenizer,
      PromptFormat format, int context, boolean failOnBadRecord) {
    checkExemplars(format, tokenizer, context, "fewShot");
    return keep(problems, source, failOnBadRecord, problem -> {
      int prompt = PromptFormat.promptLength(tokenizer, format.prompt(problem.question()));
      return prompt < context ? null : "its prompt" + (format.shots() == 0 ? ""
          : " (with " + format.shots() + " few-shot exemplars)") + " is " + prompt
          + " tokens, leaving no room to answer in the model's context of " + context
          + " tokens";
    });
  }

  /**
   * For training: each zero-shot prompt with its reference solution (EOS included) must fit the
   * model's {@code context}.
   */
  public static Fitted examples(List<Problem> problems, String source, Tokenizer tokenizer,
      int context, boolean failOnBadRecord) {
    PromptFormat format = PromptFormat.zeroShot();
    return keep(problems, source, failOnBadRecord, problem -> {
      int length = PromptFormat.promptLength(tokenizer, format.prompt(problem.question()))
          + PromptFormat.completionLength(tokenizer,
              PromptFormat.completion(problem.referenceSolution()));
      return length <= context ? null : "its question and reference solution are " + length
          + " tokens, more than the model's context of " + context + " tokens";
    });
  }

  /**
   * A few-shot prefix must leave room for a question: checked before any work, against the
   * model's context, naming the user's parameter.
   */
  public static void checkExemplars(PromptFormat format, Tokenizer tokenizer, int context,
      String parameter) {
    if (format.shots() == 0) {
      return;
    }
    int prefix = PromptFormat.promptLength(tokenizer, format.prompt(""));
    if (prefix >= context) {
      throw new IllegalArgumentException(parameter + "=" + format.shots() + ": the worked"
          + " exemplars alone are " + prefix + " tokens, and the model's context"
          + " (max_position_embeddings in config.json) is " + context + " tokens; use fewer");
    }
  }

  /** Why a problem does not fit, or {@code null} when it does. */
  private interface Check {
    String whyNot(Problem problem);
  }

  private static Fitted keep(List<Problem> problems, String source, boolean failOnBadRecord,
      Check check) {
    List<Problem> kept = new ArrayList<>(problems.size());
    List<SkippedRecord> skipped = new ArrayList<>();
    for (Problem problem : problems) {
      String why = check.whyNot(problem);
      if (why == null) {
        kept.add(problem);
        continue;
      }
      SkippedRecord bad = new SkippedRecord(source, "problem " + problem.id(), why);
      if (failOnBadRecord) {
        throw new MalformedRecordException(bad, null);
      }
      LOG.warn("skipping over-long record in {}", bad);
      skipped.add(bad);
    }
    if (!skipped.isEmpty()) {
      if (kept.isEmpty()) {
        throw new IllegalArgumentException("no problem of " + source + " fits the model's"
            + " context: all " + skipped.size() + " are too long, e.g. " + skipped.get(0));
      }
      LOG.warn("{}: skipped {} over-long record(s), kept {}", source, skipped.size(),
          kept.size());
    }
    return new Fitted(kept, skipped);
  }
}
