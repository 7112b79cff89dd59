package org.reasonrl.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reasonrl.runtime.SeedStream;

/**
 * Base of the decoder's blocks. Children and parameters are registered under their bare Hugging
 * Face names (no DJL "01" prefixes), so that walking the tree and joining names with dots gives
 * exactly the Hugging Face tensor names. Parameters get their shape only at initialisation, so a
 * checkpoint loader can instead hand each one its array ({@link Parameter#setArray}). Random
 * parameters ({@link RandomInit}) get theirs from {@link #drawRandomParameters}, never from DJL.
 */
abstract class LlamaBlock extends AbstractBlock {

  private final Map<String, Shape> shapes = new LinkedHashMap<>();

  /** Registers a parameter of the given final shape and initializer. */
  protected final Parameter newParameter(String name, Shape shape, Initializer initializer) {
    Parameter parameter = Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optInitializer(initializer)
        .build();
    parameters.put(name, parameter);
    shapes.put(name, shape);
    return parameter;
  }

  /** Removes a parameter (LoRA merge) and frees its array. */
  protected final void removeParameter(String name) {
    Parameter removed = parameters.remove(name);
    shapes.remove(name);
    if (removed != null) {
      removed.close();
    }
  }

  /** The shape a parameter must have. */
  final Shape expectedShape(String name) {
    return shapes.get(name);
  }

  protected final <B extends Block> B child(String name, B block) {
    children.add(name, block);
    return block;
  }

  /**
   * Gives every parameter of this subtree that has no array yet and a {@link RandomInit} its
   * values, drawn from {@code stream.derive(name)} with its dotted Hugging Face name: each tensor
   * is a function of the stream's seed and its name alone, whatever else the model holds.
   */
  final void drawRandomParameters(String prefix, NDManager manager, SeedStream stream) {
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      Parameter parameter = entry.getValue();
      if (!parameter.isInitialized() && parameter.getInitializer() instanceof RandomInit init) {
        String name = prefix + entry.getKey();
        parameter.setArray(init.draw(manager, shapes.get(entry.getKey()), stream.derive(name)));
      }
    }
    for (Pair<String, Block> pair : children) {
      ((LlamaBlock) pair.getValue())
          .drawRandomParameters(prefix + pair.getKey() + ".", manager, stream);
    }
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      Parameter parameter = entry.getValue();
      if (!parameter.isInitialized() && parameter.getShape() == null) {
        parameter.setShape(shapes.get(entry.getKey()));
      }
    }
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    // Unlike AbstractBaseBlock, also prepare partially loaded blocks (e.g. LoRA added later).
    prepare(inputShapes);
    for (Parameter parameter : parameters.values()) {
      parameter.initialize(manager, dataType);
    }
    initializeChildBlocks(manager, dataType, inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    for (Pair<String, Block> pair : children) {
      pair.getValue().initialize(manager, dataType, shapes);
    }
  }

  /** Adds every parameter of this subtree to {@code out} under its dotted Hugging Face name. */
  final void collectParameters(String prefix, Map<String, Parameter> out) {
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      out.put(prefix + entry.getKey(), entry.getValue());
    }
    for (Pair<String, Block> pair : children) {
      ((LlamaBlock) pair.getValue()).collectParameters(prefix + pair.getKey() + ".", out);
    }
  }

  /** Adds the required shape of every parameter of this subtree under its dotted name. */
  final void collectShapes(String prefix, Map<String, Shape> out) {
    shapes.forEach((name, shape) -> out.put(prefix + name, shape));
    for (Pair<String, Block> pair : children) {
      ((LlamaBlock) pair.getValue()).collectShapes(prefix + pair.getKey() + ".", out);
    }
  }

  /** Which child blocks match, with their dotted names (used by LoRA to find projections). */
  final void collectBlocks(String prefix, Map<String, LlamaBlock> out) {
    for (Pair<String, Block> pair : children) {
      String name = prefix + pair.getKey();
      out.put(name, (LlamaBlock) pair.getValue());
      ((LlamaBlock) pair.getValue()).collectBlocks(name + ".", out);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " is called by its parent with typed arguments; call CausalLm.forward instead");
  }
}
