package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.model.Lora;
import org.reasonrl.model.ScalarHead;
import org.reasonrl.run.Json;
import org.reasonrl.train.HfCheckpoints;
import org.reasonrl.train.ModelLoader;
import org.reasonrl.train.ModelSaver;
import org.reasonrl.train.rl.ActorCritic;
import org.reasonrl.train.rl.AdaptiveKlController;
import org.reasonrl.train.rl.KlController;

/**
 * Checkpoints of a policy-gradient run: the policy in Hugging Face layout (so every checkpoint
 * is a loadable model) or, with LoRA, its adapters under {@code adapter/}; the value head as
 * {@code value_head.safetensors}, a separate critic's trunk under {@code critic/}, and the KL
 * controller's coefficient — everything the next iteration depends on. Loading copies into the live model in place.
 */
final class PolicyCheckpoints implements ModelSaver, ModelLoader {

  static final String CRITIC_DIR = "critic";
  /** With LoRA, a checkpoint holds the adapters (PEFT layout) instead of the frozen base. */
  static final String ADAPTER_DIR = "adapter";

  private final ActorCritic model;
  private final Path tokenizerFile;
  private KlController controller;

  PolicyCheckpoints(ActorCritic model, Path tokenizerFile, KlController controller) {
    this.model = model;
    this.tokenizerFile = tokenizerFile;
    this.controller = controller;
  }

  KlController controller() {
    return controller;
  }

  /** The controller with coefficient β (an adaptive one keeps its target and horizon). */
  void setKlCoefficient(double beta) {
    controller = controller instanceof AdaptiveKlController adaptive
        ? new AdaptiveKlController(beta, adaptive.target(), adaptive.horizon())
        : KlController.fixed(beta);
  }

  /** The controller's state in a checkpoint. */
  record KlState(double coefficient) {}

  @Override
  public void save(Path directory) throws IOException {
    if (Lora.config(model.policy()) != null) {
      Lora.save(model.policy(), directory.resolve(ADAPTER_DIR));
    } else {
      Checkpoint.save(model.policy(), directory, tokenizerFile);
    }
    if (model.valueHead() != null) {
      model.valueHead().save(directory.resolve(ScalarHead.VALUE_HEAD_FILE));
    }
    if (model.criticTrunk() != null) {
      Checkpoint.save(model.criticTrunk(), directory.resolve(CRITIC_DIR), null);
    }
    Json.mapper().writeValue(directory.resolve(PolicyOptimization.KL_STATE_FILE).toFile(),
        new KlState(controller.coefficient()));
  }

  @Override
  public void load(Path directory) throws IOException {
    if (Lora.config(model.policy()) != null) {
      Lora.copyAdaptersInto(model.policy(), directory.resolve(ADAPTER_DIR));
    } else {
      HfCheckpoints.copyInto(model.policy(), directory);
    }
    if (model.valueHead() != null) {
      Map<String, Parameter> live = model.valueHead().namedParameters();
      NDManager base = live.get("score.weight").getArray().getManager();
      try (NDManager scope = base.newSubManager()) {
        ScalarHead saved = ScalarHead.load(directory.resolve(ScalarHead.VALUE_HEAD_FILE),
            model.valueHead().hiddenSize(), scope);
        saved.namedParameters().forEach((name, p) ->
            live.get(name).getArray().set(p.getArray().toByteBuffer()));
      }
    }
    if (model.criticTrunk() != null) {
      HfCheckpoints.copyInto(model.criticTrunk(), directory.resolve(CRITIC_DIR));
    }
    setKlCoefficient(Json.mapper().readValue(
        directory.resolve(PolicyOptimization.KL_STATE_FILE).toFile(), KlState.class)
        .coefficient());
  }
}
