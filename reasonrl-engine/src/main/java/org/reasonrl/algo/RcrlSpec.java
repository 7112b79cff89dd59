package org.reasonrl.algo;

import java.nio.file.Path;
import java.util.Locale;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * One {@code reasonrl:rcrl} run (Return-Conditioned RL).
 *
 * @param checkpoint the policy π_0 that writes the solutions and is trained (e.g. SFT's)
 * @param labels how steps are labelled: {@code rollouts} (continuations of each step's prefix by
 *     {@code labelPolicy}, GOOD when their success rate reaches {@code threshold}) or {@code orm}
 *     (the ORM's score at the step's end reaches {@code threshold}: ORM RCRL)
 * @param labelPolicy the policy whose continuations label the steps (the paper: the best EI
 *     policy); {@code null} = {@code checkpoint}. Used with {@code labels=rollouts} only
 * @param ormCheckpoint the outcome reward model of {@code labels=orm}
 * @param threshold T in [0, 1]
 * @param continuations K, continuations sampled per step prefix ({@code labels=rollouts})
 * @param dataset training questions (split {@code train})
 * @param evalDataset problems the trained policy is evaluated on (split {@code test})
 * @param output the run directory
 * @param maxQuestions sample for the first N training questions only (0 = all)
 * @param rollout the solutions π_0 writes: samples per question, temperature, budget, batch;
 *     the continuations are sampled with the same settings
 * @param optimization the conditioned fine-tune from π_0
 * @param evalProblems evaluate on the first N eval problems (0 = all)
 * @param eval the evaluations (conditioned on [GOOD], and on [BAD] as a contrast)
 * @param seed sampling, labelling, batch order, evaluation
 */
public record RcrlSpec(Path checkpoint, String labels, Path labelPolicy, Path ormCheckpoint,
    double threshold, int continuations, DatasetSpec dataset, DatasetSpec evalDataset,
    Path output, int maxQuestions, RolloutSpec rollout, Optimization optimization,
    int evalProblems, RolloutSpec eval, long seed) {

  public static final String ROLLOUT_LABELS = "rollouts";
  public static final String ORM_LABELS = "orm";

  public RcrlSpec {
    if (checkpoint == null) {
      throw new IllegalArgumentException("rcrl needs a starting checkpoint");
    }
    if (output == null) {
      throw new IllegalArgumentException("rcrl needs an output directory");
    }
    labels = labels == null ? ROLLOUT_LABELS : labels.toLowerCase(Locale.ROOT);
    if (!labels.equals(ROLLOUT_LABELS) && !labels.equals(ORM_LABELS)) {
      throw new IllegalArgumentException("labels must be " + ROLLOUT_LABELS + " or " + ORM_LABELS
          + " but was '" + labels + "'");
    }
    if (labels.equals(ORM_LABELS) && ormCheckpoint == null) {
      throw new IllegalArgumentException("labels=orm needs an ORM: set ormCheckpoint");
    }
    if (labels.equals(ROLLOUT_LABELS) && ormCheckpoint != null) {
      throw new IllegalArgumentException("ormCheckpoint is used only with labels=orm; the"
          + " rollouts labels need none (unset it, or set labels=orm)");
    }
    if (labels.equals(ORM_LABELS) && labelPolicy != null) {
      throw new IllegalArgumentException("labelPolicy is used only with labels=rollouts; ORM"
          + " labels need none (unset it, or set labels=rollouts)");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1] but was " + threshold);
    }
    if (continuations < 1) {
      throw new IllegalArgumentException("continuations (K per step prefix) must be >= 1 but was "
          + continuations);
    }
    dataset = dataset == null ? DatasetSpec.synthetic("train") : dataset;
    evalDataset = evalDataset == null ? dataset.withSplit("test") : evalDataset;
    if (maxQuestions < 0 || evalProblems < 0) {
      throw new IllegalArgumentException("maxQuestions and evalProblems must be >= 0 (0 = all)");
    }
    if (rollout == null || eval == null || optimization == null) {
      throw new IllegalArgumentException("rcrl needs rollout, eval and optimization settings");
    }
  }

  /** The policy that labels steps with its continuations: {@code labelPolicy} or π_0. */
  public Path labeller() {
    return labelPolicy == null ? checkpoint : labelPolicy;
  }

  public boolean ormLabels() {
    return labels.equals(ORM_LABELS);
  }

  /**
   * Defaults for the embedded pipeline, sized to EI's budget (16k rollouts): 1000 questions × 4
   * solutions at T=0.7, each step prefix continued 4 times, T = 0.5; the fine-tune of an EI
   * round (200 steps of 32); eval on 1000 test problems with K=4.
   */
  public static RcrlSpec defaults(Path checkpoint, Path output) {
    EiSpec ei = EiSpec.defaults(checkpoint, output);
    return new RcrlSpec(checkpoint, ROLLOUT_LABELS, null, null, 0.5, 4,
        DatasetSpec.synthetic("train"), DatasetSpec.synthetic("test"), output, 1000,
        ei.rollout(), ei.optimization(), ei.evalProblems(), ei.eval(), 42);
  }
}
