package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.run.Progress;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.train.BatchSource;
import org.reasonrl.train.ShuffledOrder;
import org.reasonrl.train.TrainingLoop;
import org.reasonrl.train.TrainingOptions;
import org.reasonrl.train.TrainingResult;

/**
 * The ORM's fine-tune: backbone and reward head trained on per-token BCE towards each sample's
 * label (optionally class-balanced), resumable through {@link TrainingLoop}.
 */
final class OrmTrainer {

  private final OrmSpec spec;
  private final TrainingLoop.StepListener listener;

  OrmTrainer(OrmSpec spec, TrainingLoop.StepListener listener) {
    this.spec = spec;
    this.listener = listener;
  }

  TrainingResult train(OutcomeRewardModel orm, List<LabelledSample> train,
      double positiveShare, int pad, RunDirectory run, Path tokenizerFile, NDManager manager,
      Consumer<String> log) {
    float[] weights = new float[train.size()];
    for (int i = 0; i < weights.length; i++) {
      // Balanced: each class carries half the loss. Undefined with one class: leave weights 1.
      boolean balance = spec.balanceClasses() && positiveShare > 0 && positiveShare < 1;
      weights[i] = !balance ? 1f : (float) (0.5 / (train.get(i).correct() ? positiveShare
          : 1 - positiveShare));
    }
    ShuffledOrder order = new ShuffledOrder(spec.seed(), train.size());
    int micro = Math.min(spec.optimization().microBatchSize(), spec.optimization().batchSize());
    BatchSource<OrmBatch> batches = step -> {
      int[] indices = order.batch(step, spec.optimization().batchSize());
      List<OrmBatch> out = new ArrayList<>();
      for (int from = 0; from < indices.length; from += micro) {
        int[] part = Arrays.copyOfRange(indices, from, Math.min(indices.length, from + micro));
        List<LabelledSample> rows = new ArrayList<>(part.length);
        float[] rowWeights = new float[part.length];
        for (int i = 0; i < part.length; i++) {
          rows.add(train.get(part[i]));
          rowWeights[i] = weights[part[i]];
        }
        out.add(OrmBatch.of(rows, rowWeights, pad));
      }
      return out;
    };
    // The shared optimiser (warm-up then cosine to a tenth); the ORM's own AdamW betas are in
    // its spec (OrmSpec.defaults says why β2 differs).
    TrainingOptions options = spec.optimization().trainingOptions(spec.seed());
    Map<String, Parameter> parameters = new LinkedHashMap<>(orm.backbone().namedParameters());
    parameters.putAll(orm.head().namedParameters());
    OrmCheckpoints checkpoints = new OrmCheckpoints(orm, tokenizerFile);
    return TrainingLoop.builder(options, new ParameterList(parameters), batches,
            OrmBatch.objective(orm))
        .runDirectory(run)
        .checkpoints(checkpoints, checkpoints)
        .progress(Progress.lines("orm train", spec.optimization().steps(), "steps", log))
        .listener(listener)
        .build()
        .run(manager);
  }
}
