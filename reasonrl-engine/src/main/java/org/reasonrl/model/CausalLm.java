package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reasonrl.runtime.SeedStream;

/**
 * A Llama-architecture causal language model (Hugging Face's {@code LlamaForCausalLM}): token
 * embedding, decoder layers, final RMSNorm and a tied or separate LM head.
 *
 * <p>{@link #getParameters()} lists parameters under their Hugging Face tensor names
 * ({@code model.layers.0.self_attn.q_proj.weight}, {@code model.norm.weight},
 * {@code lm_head.weight}); with LoRA, adapters appear as {@code ...q_proj.lora_A.weight}.
 *
 * <p>Batches are left-padded: the attention mask (B, past+T) marks tokens with 1 and padding
 * with 0, positions are {@code cumsum(mask) - 1}, and padding keys are never attended to.
 * Outputs at padding positions are finite but meaningless.
 */
public final class CausalLm extends LlamaBlock {

  private final LlamaConfig config;
  private final Backbone model;
  private final Projection lmHead;
  private LoraConfig loraConfig;
  private ForwardContext.Constants constants;

  private CausalLm(LlamaConfig config) {
    this.config = config;
    this.model = child("model", new Backbone(config));
    this.lmHead = config.tieWordEmbeddings()
        ? null : child("lm_head", new Projection(config.hiddenSize(), config.vocabSize()));
  }

  /** An uninitialised model; call {@link #initializeRandom} or load it with {@link Checkpoint}. */
  public static CausalLm create(LlamaConfig config) {
    return new CausalLm(config);
  }

  public LlamaConfig config() {
    return config;
  }

  /**
   * Draws fresh weights: normal(0, 0.02) for projections and embeddings, ones for norms. Each
   * tensor comes from {@code seeds.derive(its Hugging Face name)}, so equal streams give equal
   * models, whatever else runs in the JVM.
   */
  public CausalLm initializeRandom(NDManager manager, SeedStream seeds) {
    drawRandomParameters("", manager, seeds);
    initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return this;
  }

  /** An empty KV cache for this model (float32), for {@code batch} rows of up to {@code maxLength}. */
  public KvCache newCache(NDManager manager, int batch, int maxLength) {
    return KvCache.allocate(manager, config, batch, maxLength, parameterType());
  }

  /** Full forward: logits for every position. See {@link #forward(ParameterStore, NDArray, NDArray, KvCache, boolean, boolean)}. */
  public DecoderOutput forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask,
      KvCache cache, boolean training) {
    return forward(ps, inputIds, attentionMask, cache, training, true);
  }

  /**
   * Runs the decoder.
   *
   * @param inputIds (B, T) token ids (any integer type)
   * @param attentionMask (B, past+T) of 1/0, where past is the cache's length (0 without cache)
   * @param cache {@code null} for a plain forward; otherwise the new keys/values are written into
   *     it (inference only)
   * @param training a training forward: dropout is on, and gradients are recorded when it runs
   *     inside {@code ThreadAutograd.record()}
   * @param allLogits {@code false} computes logits for the last position only (sampling)
   */
  public DecoderOutput forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask,
      KvCache cache, boolean training, boolean allLogits) {
    Shape idShape = inputIds.getShape();
    if (idShape.dimension() != 2) {
      throw new IllegalArgumentException("inputIds must be (batch, tokens) but was " + idShape);
    }
    int batch = (int) idShape.get(0);
    int steps = (int) idShape.get(1);
    int past = cache == null ? 0 : cache.length();
    Shape expectedMask = new Shape(batch, past + steps);
    if (!attentionMask.getShape().equals(expectedMask)) {
      throw new IllegalArgumentException("attentionMask must be " + expectedMask
          + " (batch, cached " + past + " + new " + steps + ") but was " + attentionMask.getShape());
    }
    if (cache != null) {
      if (training) {
        throw new IllegalArgumentException("the KV cache is for inference; train without it");
      }
      if (cache.batchSize() != batch) {
        throw new IllegalArgumentException("cache holds " + cache.batchSize()
            + " rows but inputIds has " + batch);
      }
    }
    ForwardContext context = ForwardContext.build(inputIds.getManager(), config, attentionMask,
        past, steps, cache, parameterType(), constants());
    NDArray x = model.embedTokens.apply(ps, inputIds, training);
    for (DecoderLayer layer : model.layers.layers) {
      x = layer.apply(ps, x, context, training);
    }
    NDArray hidden = model.norm.apply(ps, x, training);
    if (cache != null) {
      cache.advance(steps);
    }
    NDArray forLogits = allLogits ? hidden : hidden.get(new NDIndex(":, -1:, :"));
    return new DecoderOutput(logits(ps, forLogits, training), hidden, cache);
  }

  /** The LM head applied to final hidden states (B, T, H) → (B, T, V). */
  public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
    if (lmHead != null) {
      return lmHead.apply(ps, hidden, training);
    }
    NDArray table = ps.getValue(model.embedTokens.weight(), hidden.getDevice(), training);
    return Linear.linear(hidden, table).head();
  }

  /** DJL entry: inputs are (ids) or (ids, mask); returns (logits, hidden). No cache. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : ids.onesLike();
    DecoderOutput out = forward(ps, ids, mask, null, training, true);
    return new NDList(out.logits(), out.hidden());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {
      new Shape(ids.get(0), ids.get(1), config.vocabSize()),
      new Shape(ids.get(0), ids.get(1), config.hiddenSize())
    };
  }

  /** Every parameter under its Hugging Face tensor name, in model order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collectParameters("", out);
    return Collections.unmodifiableMap(out);
  }

  /** The parameters a training loop should update (those requiring gradients). */
  public Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    namedParameters().forEach((name, p) -> {
      if (p.requiresGradient()) {
        out.put(name, p);
      }
    });
    return out;
  }

  @Override
  public ParameterList getParameters() {
    return new ParameterList(namedParameters());
  }

  /** Freezes (or unfreezes) every parameter. */
  public void setTrainable(boolean trainable) {
    namedParameters().values().forEach(p -> p.freeze(!trainable));
  }

  /** The projections (q_proj … down_proj) by dotted name, for adapters. */
  public Map<String, Projection> projections() {
    Map<String, LlamaBlock> blocks = new LinkedHashMap<>();
    collectBlocks("", blocks);
    Map<String, Projection> out = new LinkedHashMap<>();
    blocks.forEach((name, block) -> {
      if (block instanceof Projection projection && !name.equals("lm_head")) {
        out.put(name, projection);
      }
    });
    return out;
  }

  /** The shape each named parameter must have (used by checkpoint loading). */
  Map<String, Shape> expectedShapes() {
    Map<String, Shape> out = new LinkedHashMap<>();
    collectShapes("", out);
    return out;
  }

  private ForwardContext.Constants constants() {
    NDArray weights = model.embedTokens.weight().getArray();
    if (constants == null || !constants.fits(weights)) {
      constants = ForwardContext.Constants.create(weights.getManager(), config,
          weights.getDataType());
    }
    return constants;
  }

  LoraConfig loraConfig() {
    return loraConfig;
  }

  void setLoraConfig(LoraConfig config) {
    this.loraConfig = config;
  }

  private DataType parameterType() {
    Parameter embed = model.embedTokens.weight();
    return embed.isInitialized() ? embed.getArray().getDataType() : DataType.FLOAT32;
  }

  /** Hugging Face's {@code model}: embeddings, layers, final norm. */
  static final class Backbone extends LlamaBlock {
    final TokenEmbedding embedTokens;
    final LayerStack layers;
    final RmsNorm norm;

    Backbone(LlamaConfig config) {
      embedTokens = child("embed_tokens", new TokenEmbedding(config.vocabSize(), config.hiddenSize()));
      layers = child("layers", new LayerStack(config));
      norm = child("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
    }
  }

  /** {@code model.layers}: children named 0 … N-1. */
  static final class LayerStack extends LlamaBlock {
    final List<DecoderLayer> layers = new ArrayList<>();

    LayerStack(LlamaConfig config) {
      for (int i = 0; i < config.numHiddenLayers(); i++) {
        layers.add(child(Integer.toString(i), new DecoderLayer(config, i)));
      }
    }
  }
}
