package org.reasonrl.algo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.model.CausalLm;
import org.reasonrl.reward.Judgement;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.run.Json;
import org.reasonrl.run.Progress;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.ShuffledOrder;

/**
 * The ORM's data: K solutions per question sampled from the policy, each labelled by its final
 * answer, with a held-out split by question. {@code samples.jsonl} is written once sampling is
 * complete and read back, checked against the run, by a rerun.
 */
final class OrmSamples {

  private final OrmSpec spec;

  OrmSamples(OrmSpec spec) {
    this.spec = spec;
  }

  /**
   * Which questions are held out: the first {@code round(share·n)} (at least one when share > 0)
   * of a seeded permutation, so the split is by question and the same for every rerun.
   */
  static boolean[] heldOutQuestions(int questions, double share, long seed) {
    int held = share <= 0 ? 0 : Math.max(1, (int) Math.round(share * questions));
    if (held >= questions) {
      throw new IllegalArgumentException("holding out " + held + " of " + questions
          + " questions leaves none to train on: use more questions or a smaller heldOutShare");
    }
    boolean[] out = new boolean[questions];
    ShuffledOrder order = new ShuffledOrder(ShuffledOrder.mix(seed, 0x53504C4954L), questions);
    for (int i = 0; i < held; i++) {
      out[order.index(i)] = true;
    }
    return out;
  }

  List<LabelledSample> sample(CausalLm policy, Tokenizer tokenizer,
      List<Problem> problems, boolean[] heldOut, Consumer<String> log) {
    PromptFormat format = PromptFormat.zeroShot();
    List<String> prompts = problems.stream().map(p -> format.prompt(p.question())).toList();
    int k = spec.rollout().k();
    Progress progress = Progress.lines("orm samples", (long) prompts.size() * k, "solutions",
        log);
    long[] done = {0};
    List<Rollout> rollouts = new Sampler(policy, tokenizer).sample(prompts, k,
        spec.rollout().sampling(), spec.seed(), n -> {
              done[0] += n;
              progress.update(done[0], "");
            });
    List<LabelledSample> out = new ArrayList<>(rollouts.size());
    for (Rollout rollout : rollouts) {
      Problem problem = problems.get(rollout.promptIndex());
      // Labelled by the same judgement as every correctness reward and evaluation.
      Judgement judgement = Judgement.of(rollout.completion(), problem.answer());
      out.add(new LabelledSample(problem.id(), heldOut[rollout.promptIndex()],
          rollout.sampleIndex(), rollout.promptTokens(), rollout.tokens(), rollout.completion(),
          judgement.answer().normalized(), judgement.correct()));
    }
    return out;
  }

  List<LabelledSample> read(Path file, List<Problem> problems, boolean[] heldOut) {
    List<LabelledSample> out = new ArrayList<>();
    try {
      int line = 0;
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        line++;
        if (!text.isBlank()) {
          try {
            out.add(Json.mapper().readValue(text, LabelledSample.class));
          } catch (IOException e) {
            throw new IllegalArgumentException(file + " line " + line + " is not a labelled"
                + " sample: " + e.getMessage(), e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int k = spec.rollout().k();
    if (out.size() != problems.size() * k) {
      throw new IllegalArgumentException(file + " holds " + out.size() + " samples but this run"
          + " has " + problems.size() + " questions × K=" + k + "; delete it or use another"
          + " output directory");
    }
    for (int i = 0; i < out.size(); i++) {
      LabelledSample s = out.get(i);
      int q = i / k;
      if (!s.problemId().equals(problems.get(q).id()) || s.heldOut() != heldOut[q]
          || s.sampleIndex() != i % k) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + " is sample "
            + s.sampleIndex() + " of question " + s.problemId() + " but this run expects sample "
            + (i % k) + " of " + problems.get(q).id());
      }
    }
    return out;
  }
}
