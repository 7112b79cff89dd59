package org.reasonrl.algo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reasonrl.data.Problem;
import org.reasonrl.eval.Metrics;
import org.reasonrl.eval.ProblemOutcome;
import org.reasonrl.eval.Sample;
import org.reasonrl.reward.OrmMetrics;
import org.reasonrl.reward.OutcomeRewardModel;

/** The ORM's held-out quality: calibration at the final token, token BCE and ranking metrics. */
final class OrmHeldOut {

  private static final int BOOTSTRAP_RESAMPLES = 1000;

  private final OrmSpec spec;

  OrmHeldOut(OrmSpec spec) {
    this.spec = spec;
  }

  /** Final-token metrics, token BCE, and rerank@K / maj@K / pass@K on the held-out samples. */
  OrmTraining.HeldOut evaluate(OutcomeRewardModel orm, List<LabelledSample> samples,
      Map<String, Problem> problems, int pad) {
    List<int[]> sequences = samples.stream().map(LabelledSample::sequence).toList();
    List<double[]> perToken = orm.scoreTokens(sequences, spec.rollout().batchSize(), pad);
    double[] finals = new double[samples.size()];
    boolean[] labels = new boolean[samples.size()];
    String[] questions = new String[samples.size()];
    double tokenBce = 0;
    long tokens = 0;
    for (int i = 0; i < samples.size(); i++) {
      LabelledSample s = samples.get(i);
      double[] scores = perToken.get(i);
      finals[i] = scores[scores.length - 1];
      labels[i] = s.correct();
      questions[i] = s.problemId();
      for (int t = s.promptTokens().length; t < scores.length; t++) {
        tokenBce += OrmMetrics.bce(scores[t], s.correct());
        tokens++;
      }
    }
    int k = spec.rollout().k();
    List<ProblemOutcome> outcomes = new ArrayList<>();
    for (int start = 0; start < samples.size(); start += k) {
      Problem problem = problems.get(samples.get(start).problemId());
      List<Sample> judged = new ArrayList<>(k);
      for (int i = start; i < start + k; i++) {
        judged.add(Sample.judge(samples.get(i).completion(), problem.answer(), finals[i]));
      }
      outcomes.add(new ProblemOutcome(problem.id(), problem.answer(), null, judged));
    }
    return new OrmTraining.HeldOut(OrmMetrics.of(finals, labels, questions, tokenBce, tokens),
        Metrics.evaluate(outcomes, k, spec.seed(), BOOTSTRAP_RESAMPLES));
  }
}
