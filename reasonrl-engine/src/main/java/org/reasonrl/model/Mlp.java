package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/** SwiGLU feed-forward: {@code down(silu(gate(x)) * up(x))}. */
public final class Mlp extends LlamaBlock {

  final Projection gateProj;
  final Projection upProj;
  final Projection downProj;

  Mlp(LlamaConfig config) {
    gateProj = child("gate_proj", new Projection(config.hiddenSize(), config.intermediateSize()));
    upProj = child("up_proj", new Projection(config.hiddenSize(), config.intermediateSize()));
    downProj = child("down_proj", new Projection(config.intermediateSize(), config.hiddenSize()));
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray gate = gateProj.apply(ps, x, training);
    NDArray silu = gate.mul(Activation.sigmoid(gate));
    return downProj.apply(ps, silu.mul(upProj.apply(ps, x, training)), training);
  }
}
