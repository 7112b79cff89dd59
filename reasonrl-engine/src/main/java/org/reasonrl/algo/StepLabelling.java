package org.reasonrl.algo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.reasonrl.data.Problem;
import org.reasonrl.job.JobContext;
import org.reasonrl.reward.Judgement;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.Sampler;
import org.reasonrl.rollout.SamplingOptions;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.ShuffledOrder;

/**
 * The value of each step of each solution, which RCRL thresholds into GOOD/BAD: the success
 * rate of K continuations sampled from the prompt and the solution up to the step's end, or
 * the ORM's score there. The last step's value is the solution's own outcome (1 or 0) for
 * continuation labels: nothing is left to continue.
 *
 * <p>Prefixes repeat across a question's solutions (a policy often opens the same way), so each
 * distinct (question, prefix) is continued once. Continuations run in chunks, each written to
 * {@code labels/chunk-<c>.json} when done and pure in (seed, chunk): a rerun after a kill
 * samples only the chunks not on disk and ends with the values an uninterrupted run has.
 */
final class StepLabelling {

  static final String CHUNK_DIR = "labels";
  private static final int CHUNK_PREFIXES = 256;
  private static final long LABEL_SALT = 0x5EEDAB1EL;

  /** A solution to label: the question's index and prompt tokens, the solution's tokens. */
  record Target(int question, int[] prompt, int[] tokens, int[] stepEnds, boolean correct) {}

  /** Per target, one value per step; and how many continuations were sampled for them. */
  record Values(List<double[]> perStep, int prefixes, long continuations) {}

  private StepLabelling() {}

  /** Continuation success rates; the last step's value is the target's own correctness. */
  static Values byContinuations(List<Target> targets, List<Problem> questions, Sampler sampler,
      Tokenizer tokenizer, SamplingOptions sampling, int k, long seed, RunDirectory run,
      Consumer<String> log) {
    Map<PrefixKey, Integer> index = new LinkedHashMap<>();
    List<int[]> prefixOf = new ArrayList<>();
    List<int[]> solutionPrefixOf = new ArrayList<>();
    List<Integer> questionOf = new ArrayList<>();
    List<int[]> slots = new ArrayList<>();
    for (Target target : targets) {
      int[] slot = new int[target.stepEnds().length - 1];
      for (int s = 0; s < slot.length; s++) {
        int[] prefix = Arrays.copyOf(target.tokens(), target.stepEnds()[s]);
        slot[s] = index.computeIfAbsent(new PrefixKey(target.question(), prefix), key -> {
          prefixOf.add(Rollout.sequenceOf(target.prompt(), prefix));
          solutionPrefixOf.add(prefix);
          questionOf.add(target.question());
          return prefixOf.size() - 1;
        });
      }
      slots.add(slot);
    }
    int chunks = (prefixOf.size() + CHUNK_PREFIXES - 1) / CHUNK_PREFIXES;
    Progress progress = Progress.lines("rcrl labelling", (long) prefixOf.size() * k,
        "continuations", log);
    int[] successes = new int[prefixOf.size()];
    for (int c = 0; c < chunks; c++) {
      int from = c * CHUNK_PREFIXES;
      int to = Math.min(prefixOf.size(), from + CHUNK_PREFIXES);
      Path file = run.resolve(CHUNK_DIR).resolve(String.format("chunk-%05d.json", c));
      int[] chunk;
      if (Files.isRegularFile(file)) {
        chunk = JobContext.read(file, int[].class);
      } else {
        chunk = continueChunk(prefixOf.subList(from, to), solutionPrefixOf.subList(from, to),
            questionOf.subList(from, to), questions, sampler, tokenizer, sampling, k, ShuffledOrder.mix(seed, LABEL_SALT, c));
        RunDirectory.writeJson(file, chunk);
      }
      System.arraycopy(chunk, 0, successes, from, chunk.length);
      progress.update((long) to * k, "");
    }
    List<double[]> values = new ArrayList<>(targets.size());
    for (int t = 0; t < targets.size(); t++) {
      int[] slot = slots.get(t);
      double[] v = new double[slot.length + 1];
      for (int s = 0; s < slot.length; s++) {
        v[s] = successes[slot[s]] / (double) k;
      }
      v[slot.length] = targets.get(t).correct() ? 1 : 0;
      values.add(v);
    }
    return new Values(values, prefixOf.size(), (long) prefixOf.size() * k);
  }

  /** The ORM's probability of success at each step's last token. */
  static Values byOrm(List<Target> targets, OutcomeRewardModel orm, int batchSize, int padId) {
    List<double[]> scores = orm.scoreTokens(
        targets.stream().map(t -> Rollout.sequenceOf(t.prompt(), t.tokens())).toList(), batchSize, padId);
    List<double[]> values = new ArrayList<>(targets.size());
    for (int t = 0; t < targets.size(); t++) {
      Target target = targets.get(t);
      double[] v = new double[target.stepEnds().length];
      for (int s = 0; s < v.length; s++) {
        v[s] = scores.get(t)[target.prompt().length + target.stepEnds()[s] - 1];
      }
      values.add(v);
    }
    return new Values(values, 0, 0);
  }

  /** Successes among K continuations of each prefix. */
  private static int[] continueChunk(List<int[]> prefixes, List<int[]> solutionPrefixes,
      List<Integer> questionOf,
      List<Problem> questions, Sampler sampler, Tokenizer tokenizer, SamplingOptions sampling,
      int k, long seed) {
    List<Rollout> rollouts = sampler.sampleEncoded(prefixes, k, sampling, seed, null);
    int[] successes = new int[prefixes.size()];
    for (Rollout rollout : rollouts) {
      int p = rollout.promptIndex();
      Problem question = questions.get(questionOf.get(p));
      // The prefix's own text is part of the solution whose answer is judged.
      String text = tokenizer.decode(solutionPrefixes.get(p), true) + rollout.completion();
      if (Judgement.of(text, question.answer()).correct()) {
        successes[p]++;
      }
    }
    return successes;
  }

  /** A question and a solution prefix, compared by content. */
  private record PrefixKey(int question, int[] tokens) {
    @Override
    public boolean equals(Object other) {
      return other instanceof PrefixKey key && key.question == question
          && Arrays.equals(tokens, key.tokens);
    }

    @Override
    public int hashCode() {
      return 31 * question + Arrays.hashCode(tokens);
    }
  }
}
