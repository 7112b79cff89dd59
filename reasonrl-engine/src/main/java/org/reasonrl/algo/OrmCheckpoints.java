package org.reasonrl.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.reasonrl.reward.OutcomeRewardModel;
import org.reasonrl.train.ModelLoader;
import org.reasonrl.train.ModelSaver;

/**
 * Training checkpoints of an {@link OutcomeRewardModel} in its own layout (Hugging Face model
 * plus {@code reward_head.safetensors}) under {@code <checkpoint>/orm/}, so every checkpoint of a
 * run is itself a loadable ORM. Loading copies the weights into the live model in place.
 */
public final class OrmCheckpoints implements ModelSaver, ModelLoader {

  public static final String SUBDIRECTORY = "orm";

  private final OutcomeRewardModel orm;
  private final Path tokenizerJson;

  public OrmCheckpoints(OutcomeRewardModel orm, Path tokenizerJson) {
    this.orm = orm;
    this.tokenizerJson = tokenizerJson;
  }

  @Override
  public void save(Path directory) {
    orm.save(directory.resolve(SUBDIRECTORY), tokenizerJson);
  }

  @Override
  public void load(Path directory) throws IOException {
    Path dir = directory.resolve(SUBDIRECTORY);
    NDManager base = orm.head().namedParameters().get("score.weight").getArray().getManager();
    try (NDManager scope = base.newSubManager()) {
      OutcomeRewardModel saved = OutcomeRewardModel.load(dir, scope);
      copy(saved.backbone().namedParameters(), orm.backbone().namedParameters(), dir);
      copy(saved.head().namedParameters(), orm.head().namedParameters(), dir);
    }
  }

  private static void copy(Map<String, Parameter> from, Map<String, Parameter> to, Path dir)
      throws IOException {
    if (!from.keySet().equals(to.keySet())) {
      throw new IOException(dir + " holds tensors " + from.keySet() + " but the model has "
          + to.keySet());
    }
    for (Map.Entry<String, Parameter> entry : to.entrySet()) {
      NDArray source = from.get(entry.getKey()).getArray();
      NDArray target = entry.getValue().getArray();
      if (!source.getShape().equals(target.getShape())) {
        throw new IOException(dir + ": tensor " + entry.getKey() + " is " + source.getShape()
            + " but the model's is " + target.getShape());
      }
      target.set(source.toByteBuffer());
    }
  }
}
