package org.reasonrl.model;

import java.util.List;
import java.util.Set;

/**
 * LoRA hyper-parameters, as PEFT names them.
 *
 * @param rank r, the adapters' inner width
 * @param alpha the adapter output is scaled by {@code alpha / rank}
 * @param dropout dropout on the adapter's input while training
 * @param targetModules projection names to adapt: q_proj, k_proj, v_proj, o_proj, gate_proj,
 *     up_proj, down_proj
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules) {

  public static final Set<String> PROJECTIONS =
      Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraConfig {
    if (rank <= 0) {
      throw new IllegalArgumentException("LoRA rank must be > 0 but was " + rank);
    }
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("LoRA alpha must be > 0 but was " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("LoRA dropout must be in [0, 1) but was " + dropout);
    }
    if (targetModules == null || targetModules.isEmpty()) {
      throw new IllegalArgumentException("LoRA needs at least one target module");
    }
    for (String module : targetModules) {
      if (!PROJECTIONS.contains(module)) {
        throw new IllegalArgumentException("unknown LoRA target module '" + module
            + "'; expected some of " + PROJECTIONS);
      }
    }
    targetModules = List.copyOf(targetModules);
  }

  /** PEFT's common choice for Llama: r=8, alpha=16, dropout 0.05 on q_proj and v_proj. */
  public static LoraConfig defaults() {
    return new LoraConfig(8, 16, 0.05, List.of("q_proj", "v_proj"));
  }

  public float scale() {
    return (float) (alpha / rank);
  }
}
