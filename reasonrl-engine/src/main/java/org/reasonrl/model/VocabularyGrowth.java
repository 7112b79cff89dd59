package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.reasonrl.runtime.SeedStream;

/**
 * Gives a loaded model rows for token ids its checkpoint never had (RCRL's {@code [GOOD]} and
 * {@code [BAD]} added to a Llama-2 tokenizer, see {@code org.reasonrl.text.ConditionTokens}):
 * {@code model.embed_tokens.weight} and, when untied, {@code lm_head.weight} gain rows drawn
 * normal(0, 0.02) like fresh weights; every other value is copied bit for bit, so a text without
 * the new tokens gets the same logits in the old columns.
 */
public final class VocabularyGrowth {

  /** New rows of tensor {@code name} come from {@code seeds.derive(SEED_PURPOSE).derive(name)}. */
  public static final String SEED_PURPOSE = "vocabulary-growth";

  private VocabularyGrowth() {}

  /**
   * {@code model} itself when it already has rows for ids below {@code vocabSize} (the embedded
   * model, or a checkpoint padded past its tokenizer); otherwise a new model with
   * {@code vocab_size = vocabSize}, whose arrays are copies in {@code manager} (the old model
   * stays usable; at Llama sizes that is a second copy of the weights in memory). Frozen
   * parameters stay frozen. Adapters are not carried over: grow before {@link Lora#apply}.
   */
  public static CausalLm fit(CausalLm model, int vocabSize, NDManager manager, SeedStream seeds) {
    LlamaConfig config = model.config();
    if (vocabSize <= config.vocabSize()) {
      return model;
    }
    if (model.loraConfig() != null) {
      throw new IllegalStateException("the model has LoRA adapters; grow its vocabulary before"
          + " adding them (or merge them first)");
    }
    CausalLm grown = CausalLm.create(config.withVocabSize(vocabSize));
    Map<String, Shape> shapes = grown.expectedShapes();
    Map<String, Parameter> target = grown.namedParameters();
    SeedStream rows = seeds.derive(SEED_PURPOSE);
    DataType type = DataType.FLOAT32;
    for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
      String name = entry.getKey();
      NDArray old = entry.getValue().getArray();
      type = old.getDataType();
      target.get(name).setArray(grow(old, shapes.get(name), manager, rows.derive(name)));
    }
    // As Checkpoint.load: marks the given arrays as requiring gradients.
    grown.initialize(manager, type, new Shape(1, 1));
    model.namedParameters().forEach((name, p) -> target.get(name).freeze(!p.requiresGradient()));
    return grown;
  }

  /** A copy of {@code old} in {@code manager}, with rows from {@code stream} up to {@code shape}. */
  private static NDArray grow(NDArray old, Shape shape, NDManager manager, SeedStream stream) {
    // Through host bytes: no autograd history, and exactly the old bits.
    NDArray kept = manager.create(old.toByteBuffer(), old.getShape(), old.getDataType());
    long extra = shape.get(0) - old.getShape().get(0);
    if (extra == 0) {
      return kept;
    }
    NDArray fresh = RandomInit.WEIGHTS.draw(manager, new Shape(extra, shape.get(1)), stream);
    if (fresh.getDataType() != old.getDataType()) {
      NDArray cast = fresh.toType(old.getDataType(), false);
      fresh.close();
      fresh = cast;
    }
    NDArray joined = kept.concat(fresh, 0);
    kept.close();
    fresh.close();
    return joined;
  }
}
