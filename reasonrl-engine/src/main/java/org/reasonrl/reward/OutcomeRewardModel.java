package org.reasonrl.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.CheckpointException;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.rollout.Rollout;

/**
 * The outcome reward model (Cobbe et al. 2021): a decoder with a scalar head whose sigmoid at
 * every token of a solution estimates the probability that the solution ends correct. Stored as a
 * Hugging Face checkpoint plus {@code reward_head.safetensors}.
 */
public final class OutcomeRewardModel {

  private final CausalLm backbone;
  private final ScalarHead head;

  public OutcomeRewardModel(CausalLm backbone, ScalarHead head) {
    if (head.hiddenSize() != backbone.config().hiddenSize()) {
      throw new IllegalArgumentException("reward head hidden size " + head.hiddenSize()
          + " does not match the model's " + backbone.config().hiddenSize());
    }
    this.backbone = backbone;
    this.head = head;
  }

  /** Loads an ORM checkpoint directory (model files plus {@code reward_head.safetensors}). */
  public static OutcomeRewardModel load(Path dir, NDManager manager) {
    Path headFile = dir.resolve(ScalarHead.REWARD_HEAD_FILE);
    if (!Files.isRegularFile(headFile)) {
      throw new CheckpointException(dir + " is not an outcome reward model: "
          + ScalarHead.REWARD_HEAD_FILE + " is missing");
    }
    CausalLm backbone = Checkpoint.load(dir, manager);
    return new OutcomeRewardModel(backbone,
        ScalarHead.load(headFile, backbone.config().hiddenSize(), manager));
  }

  /** Writes the model (atomically), then the head (atomically) into it. */
  public void save(Path dir, Path tokenizerJson) {
    Checkpoint.save(backbone, dir, tokenizerJson);
    Path headFile = dir.resolve(ScalarHead.REWARD_HEAD_FILE);
    Path temp = dir.resolve(ScalarHead.REWARD_HEAD_FILE + ".tmp");
    head.save(temp);
    try {
      Files.move(temp, headFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + headFile, e);
    }
  }

  public CausalLm backbone() {
    return backbone;
  }

  public ScalarHead head() {
    return head;
  }

  /** Per-token logits (B, T) of "this solution ends correct", for training and dense rewards. */
  public NDArray tokenLogits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    NDArray hidden = backbone.forward(ps, ids, mask, null, training).hidden();
    return head.forward(ps, hidden, training);
  }

  /** The probability at the last token of each full sequence (prompt + solution). */
  public double[] scoreFinal(List<int[]> sequences, int batchSize, int padId) {
    double[] out = new double[sequences.size()];
    int i = 0;
    for (double[] perToken : scoreTokens(sequences, batchSize, padId)) {
      out[i++] = perToken[perToken.length - 1];
    }
    return out;
  }

  /**
   * Probabilities at every token of each sequence (same lengths as the inputs). Each distinct
   * sequence is scored once (sampled solutions repeat often: a converged policy writes the same
   * text at T=0.7), in batches of similar length so little of a batch is padding.
   */
  public List<double[]> scoreTokens(List<int[]> sequences, int batchSize, int padId) {
    Map<IntArrayKey, Integer> distinctIndex = new HashMap<>();
    List<int[]> distinct = new ArrayList<>();
    int[] slot = new int[sequences.size()];
    for (int i = 0; i < sequences.size(); i++) {
      int[] sequence = sequences.get(i);
      slot[i] = distinctIndex.computeIfAbsent(new IntArrayKey(sequence), key -> {
        distinct.add(sequence);
        return distinct.size() - 1;
      });
    }
    Integer[] byLength = new Integer[distinct.size()];
    Arrays.setAll(byLength, i -> i);
    Arrays.sort(byLength, Comparator.comparingInt(i -> distinct.get(i).length));
    double[][] scored = new double[distinct.size()][];
    for (int start = 0; start < byLength.length; start += batchSize) {
      List<Integer> batch = Arrays.asList(byLength)
          .subList(start, Math.min(byLength.length, start + batchSize));
      List<double[]> rows = scoreBatch(batch.stream().map(distinct::get).toList(), padId);
      for (int r = 0; r < batch.size(); r++) {
        scored[batch.get(r)] = rows.get(r);
      }
    }
    List<double[]> out = new ArrayList<>(sequences.size());
    for (int index : slot) {
      out.add(scored[index].clone());
    }
    return out;
  }

  private List<double[]> scoreBatch(List<int[]> batch, int padId) {
    NDManager base = head.namedParameters().get("score.weight").getArray().getManager();
    int width = batch.stream().mapToInt(s -> s.length).max().orElseThrow();
    int[][] ids = new int[batch.size()][width];
    int[][] mask = new int[batch.size()][width];
    for (int r = 0; r < batch.size(); r++) {
      int[] sequence = batch.get(r);
      int offset = width - sequence.length;
      Arrays.fill(ids[r], padId);
      System.arraycopy(sequence, 0, ids[r], offset, sequence.length);
      Arrays.fill(mask[r], offset, width, 1);
    }
    try (NDManager manager = base.newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      float[] probabilities = tokenLogits(ps, manager.create(ids), manager.create(mask), false)
          .getNDArrayInternal().sigmoid().toFloatArray();
      List<double[]> rows = new ArrayList<>(batch.size());
      for (int r = 0; r < batch.size(); r++) {
        int length = batch.get(r).length;
        double[] row = new double[length];
        for (int t = 0; t < length; t++) {
          row[t] = probabilities[r * width + (width - length) + t];
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** Content equality for token sequences, so repeats are scored once. */
  private record IntArrayKey(int[] tokens) {
    @Override
    public boolean equals(Object other) {
      return other instanceof IntArrayKey key && Arrays.equals(tokens, key.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }
  }

  /**
   * Dense ORM rewards (potential-based shaping) of many solutions, scored in one batched pass
   * ({@link #scoreTokens}): the reward of step i is the ORM probability at the step's last token
   * minus that at the previous step's last token. The potential before the first step is 0 (not
   * the score at the prompt's last token), so the rewards sum to the probability at the
   * solution's last token: the final score, as PAPER.md's dense ORM reward wants.
   *
   * @param stepEnds per rollout, strictly increasing indices into its {@link Rollout#tokens()},
   *     each one past a step's last token (see {@link SolutionSteps#ends}); the last must be the
   *     number of tokens
   */
  public List<double[]> stepRewards(List<Rollout> rollouts, List<int[]> stepEnds, int batchSize,
      int padId) {
    if (rollouts.size() != stepEnds.size()) {
      throw new IllegalArgumentException(rollouts.size() + " rollouts but " + stepEnds.size()
          + " step boundaries");
    }
    List<double[]> scores = scoreTokens(rollouts.stream().map(Rollout::sequence).toList(),
        batchSize, padId);
    List<double[]> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      double[] perToken = scores.get(i);
      out.add(stepDifferences(Arrays.copyOfRange(perToken,
          rollouts.get(i).promptTokens().length, perToken.length), stepEnds.get(i)));
    }
    return out;
  }

  /** {@link #stepRewards(List, List, int, int)} of one solution given as prompt and tokens. */
  public double[] stepRewards(int[] promptTokens, int[] completion, int[] stepEnds, int padId) {
    double[] scores = scoreTokens(List.of(Rollout.sequenceOf(promptTokens, completion)), 1, padId)
        .get(0);
    return stepDifferences(Arrays.copyOfRange(scores, promptTokens.length, scores.length),
        stepEnds);
  }

  /**
   * Per-step differences of {@code completionScores} (one per completion token), starting from
   * a potential of 0, see above. An empty completion has no steps and no rewards.
   */
  public static double[] stepDifferences(double[] completionScores, int[] stepEnds) {
    if (completionScores.length == 0 && stepEnds.length == 0) {
      return new double[0];
    }
    if (stepEnds.length == 0 || stepEnds[stepEnds.length - 1] != completionScores.length) {
      throw new IllegalArgumentException("step ends " + Arrays.toString(stepEnds) + " must end at"
          + " the completion's length " + completionScores.length);
    }
    double[] rewards = new double[stepEnds.length];
    double previous = 0;
    int previousEnd = 0;
    for (int i = 0; i < stepEnds.length; i++) {
      if (stepEnds[i] <= previousEnd) {
        throw new IllegalArgumentException("step ends must be strictly increasing and > 0: "
            + Arrays.toString(stepEnds));
      }
      double score = completionScores[stepEnds[i] - 1];
      rewards[i] = score - previous;
      previous = score;
      previousEnd = stepEnds[i];
    }
    return rewards;
  }

  /** {@link SolutionSteps#ends(int[], java.util.function.IntPredicate)} for one newline token. */
  public static int[] stepEnds(int[] completion, int newlineId) {
    return SolutionSteps.ends(completion, id -> id == newlineId);
  }
}
