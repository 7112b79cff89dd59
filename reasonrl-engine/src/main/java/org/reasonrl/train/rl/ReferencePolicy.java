package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Lora;

/**
 * The frozen policy the KL term measures against: a second copy of the starting model, or —
 * when only LoRA adapters are trained — the trained model itself with its adapters bypassed,
 * which is exactly the starting model without holding it twice.
 */
@FunctionalInterface
public interface ReferencePolicy {

  /** (B,T,V) logits of a teacher-forced batch, without gradients. */
  NDArray logits(ParameterStore ps, NDArray inputs, NDArray attention);

  /** A separate, never-updated model. */
  static ReferencePolicy copy(CausalLm model) {
    return (ps, inputs, attention) -> model.forward(ps, inputs, attention, null, false).logits();
  }

  /** The base under {@code adapted}'s LoRA adapters. */
  static ReferencePolicy baseOf(CausalLm adapted) {
    return (ps, inputs, attention) -> Lora.withoutAdapters(adapted,
        () -> adapted.forward(ps, inputs, attention, null, false).logits());
  }
}
