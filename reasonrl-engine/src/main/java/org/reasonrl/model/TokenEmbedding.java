package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

/** Token embedding table (vocab, hidden), Hugging Face's {@code embed_tokens}. */
public final class TokenEmbedding extends LlamaBlock {

  private final Parameter weight;

  TokenEmbedding(int vocabSize, int hiddenSize) {
    this.weight = newParameter("weight", new Shape(vocabSize, hiddenSize), RandomInit.WEIGHTS);
  }

  public Parameter weight() {
    return weight;
  }

  NDArray apply(ParameterStore ps, NDArray ids, boolean training) {
    NDArray table = ps.getValue(weight, ids.getDevice(), training);
    NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    return Embedding.embedding(longIds, table, SparseFormat.DENSE).head();
  }
}
