package org.reasonrl.algo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reasonrl.data.Problem;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.StopReason;
import org.reasonrl.run.Json;

/**
 * Expert Iteration's filter: among finished rollouts that passed the round's test (correct final
 * answer, or ORM score ≥ threshold), keep one per question and normalised text, and form
 * D_i = R_i ∪ D_{i-1}.
 */
public final class SolutionFilter {

  private SolutionFilter() {}

  /** One kept solution of D_i: the question's index, its text and the tokens trained on. */
  public record Solution(int question, String problemId, String text, int[] tokens, int round) {}

  /** What one round's filter produced. */
  public record Selection(int accepted, List<Solution> kept, int newDistinct,
      List<Solution> dataset) {}

  /**
   * @param accepted per rollout, whether it passed the correctness (or ORM) test
   * @param eosId appended to solutions that stopped at their answer line, so the model learns
   *     to stop
   */
  public static Selection select(List<Problem> questions, List<Rollout> rollouts,
      boolean[] accepted, List<Solution> previous, int round, int eosId) {
    Set<String> known = new HashSet<>();
    for (Solution s : previous) {
      known.add(key(s.question(), s.text()));
    }
    Map<String, Solution> kept = new LinkedHashMap<>();
    int acceptedCount = 0;
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout rollout = rollouts.get(i);
      if (!accepted[i] || rollout.stop() == StopReason.MAX_TOKENS) {
        continue;
      }
      acceptedCount++;
      String key = key(rollout.promptIndex(), rollout.completion());
      if (!kept.containsKey(key)) {
        int[] tokens = rollout.tokens();
        if (tokens.length == 0 || tokens[tokens.length - 1] != eosId) {
          tokens = Arrays.copyOf(tokens, tokens.length + 1);
          tokens[tokens.length - 1] = eosId;
        }
        kept.put(key, new Solution(rollout.promptIndex(),
            questions.get(rollout.promptIndex()).id(), rollout.completion(), tokens, round));
      }
    }
    List<Solution> dataset = new ArrayList<>(previous);
    int fresh = 0;
    for (Map.Entry<String, Solution> entry : kept.entrySet()) {
      if (known.add(entry.getKey())) {
        dataset.add(entry.getValue());
        fresh++;
      }
    }
    return new Selection(acceptedCount, List.copyOf(kept.values()), fresh, dataset);
  }

  /** Duplicates are the same question with the same text up to whitespace. */
  static String key(int question, String text) {
    return question + "\u0000" + text.strip().replaceAll("\\s+", " ");
  }

  /** A round's {@code dataset.jsonl}. */
  public static List<Solution> readDataset(Path file) {
    return Json.readLines(file, Solution.class);
  }
}
