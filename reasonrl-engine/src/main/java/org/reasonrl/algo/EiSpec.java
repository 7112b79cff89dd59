package org.reasonrl.algo;

import java.nio.file.Path;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.train.Optimization;

/**
 * One {@code reasonrl:ei} run (Expert Iteration, EI_n).
 *
 * @param checkpoint the starting policy π_0 (e.g. the best SFT checkpoint)
 * @param dataset training questions with gold answers (split {@code train})
 * @param evalDataset problems each round's policy is evaluated on (split {@code test})
 * @param output the run directory: {@code round-<i>/model} is π_i, {@code control-<i>/model}
 *     the compute-matched control
 * @param rounds n, the number of rounds; 0 with {@code control} trains and evaluates only the
 *     compute-matched control (so a build can run it beside the rounds, as the tiny grid does)
 * @param maxQuestions sample for the first N training questions only (0 = all)
 * @param rollout each round's sampling: K solutions per question, temperature, generation
 *     budget, batch
 * @param continueTraining fine-tune π_i from π_{i-1} instead of from π_0 (the paper's default
 *     is to restart from π_0 each round)
 * @param ormCheckpoint an outcome reward model: keep samples it scores at least
 *     {@code ormThreshold} instead of those with a correct final answer (ORM EI); may be null
 * @param ormThreshold the ORM score (a probability, in [0, 1]) a sample needs to be kept
 * @param optimization the fine-tune of each round (its steps are per round)
 * @param control also train the compute-matched control: the same fine-tuning steps from the
 *     same start, on the reference solutions of the sampled questions alone
 * @param evalProblems evaluate on the first N problems of the eval set (0 = all)
 * @param eval each policy's evaluation: K samples per problem for maj@K and pass@K (greedy
 *     maj@1 besides), their temperature, budget and batch
 * @param fineTuning how a round's data becomes its fine-tune: fixed steps or epochs, D_i alone
 *     or with the SFT references, strict or lenient answer filter; null = {@link
 *     EiFineTuning#defaults()}
 * @param fewShot worked exemplars (reference solutions of the first training problems) put before
 *     each question when sampling — the paper's prompted, "without SFT" regime; 0 samples
 *     zero-shot. The kept solutions are always trained and evaluated zero-shot.
 * @param seed sampling, batch order, evaluation
 */
public record EiSpec(Path checkpoint, DatasetSpec dataset, DatasetSpec evalDataset, Path output,
    int rounds, int maxQuestions, RolloutSpec rollout, boolean continueTraining,
    Path ormCheckpoint, double ormThreshold, Optimization optimization,
    EiFineTuning fineTuning, boolean control, int evalProblems, RolloutSpec eval, int fewShot,
    long seed) {

  public EiSpec {
    if (checkpoint == null) {
      throw new IllegalArgumentException("ei needs a starting checkpoint");
    }
    if (output == null) {
      throw new IllegalArgumentException("ei needs an output directory");
    }
    dataset = dataset == null ? DatasetSpec.synthetic("train") : dataset;
    evalDataset = evalDataset == null ? dataset.withSplit("test") : evalDataset;
    if (rounds < 0 || (rounds == 0 && !control)) {
      throw new IllegalArgumentException("rounds must be >= 1 (or 0 with control=true: the"
          + " control alone) but was " + rounds);
    }
    if (maxQuestions < 0 || evalProblems < 0) {
      throw new IllegalArgumentException("maxQuestions and evalProblems must be >= 0 (0 = all)");
    }
    if (rollout == null || eval == null) {
      throw new IllegalArgumentException("ei needs rollout and eval sampling settings");
    }
    if (fewShot < 0) {
      throw new IllegalArgumentException("fewShot must be >= 0 but was " + fewShot);
    }
    if (optimization == null) {
      throw new IllegalArgumentException("ei needs optimization settings");
    }
    fineTuning = fineTuning == null ? EiFineTuning.defaults() : fineTuning;
    if (rounds == 0 && fineTuning.inEpochs()) {
      // Its steps are those of EI's round 1, which depend on what that round kept.
      throw new IllegalArgumentException("a control alone (rounds=0) cannot match fine-tuning"
          + " measured in epochs (fineTuneEpochs=" + fineTuning.epochs() + "): run it with"
          + " rounds >= 1, or give fixed steps (fineTuneEpochs=0)");
    }
    // The ORM's score is a probability; NaN would keep no sample at all, silently.
    if (ormCheckpoint != null && !(ormThreshold >= 0 && ormThreshold <= 1)) {
      throw new IllegalArgumentException("ormThreshold (the ORM probability a sample needs to be"
          + " kept) must be in [0, 1] but was " + ormThreshold);
    }
  }

  /**
   * Defaults for the embedded pipeline: 2 rounds, 2000 questions × K=4 at T=0.7, 200 fine-tune
   * steps of 32 a round (a few epochs of a D_i of ~1-2k solutions: more overfits a small D_i),
   * D_i alone with the strict filter, control on, eval on 1000 test problems with K=4.
   */
  public static EiSpec defaults(Path checkpoint, Path output) {
    return new EiSpec(checkpoint, DatasetSpec.synthetic("train"), DatasetSpec.synthetic("test"),
        output, 2, 2000, RolloutSpec.of(4, 0.7, 120, 128), false, null, 0.5,
        new Optimization(200, 32, 32, 5e-4, 20, 0.01, 1.0, 25, 100), EiFineTuning.defaults(),
        true, 1000,
        RolloutSpec.of(4, 0.7, 120, 128), 0, 42);
  }

  /**
   * The problems each round is evaluated on, from what a user named: the test split of
   * {@code name} at {@code path}. An unnamed dataset is the training one; an absent path is the
   * training dataset's when the dataset is the same, else none (so {@code gsm8k} or {@code svamp}
   * without a path is refused by {@link DatasetSpec}). With neither given this is
   * {@code training.withSplit("test")}, the canonical constructor's default.
   */
  public static DatasetSpec evalDataset(DatasetSpec training, String name, Path path) {
    Path file = path != null ? path : training.path();
    if (name == null) {
      return new DatasetSpec(training.name(), file, "test", training.failOnBadRecord());
    }
    DatasetSpec named = new DatasetSpec(name, file, "test", training.failOnBadRecord());
    return path != null || named.name().equals(training.name()) ? named
        : new DatasetSpec(named.name(), null, "test", training.failOnBadRecord());
  }
}
