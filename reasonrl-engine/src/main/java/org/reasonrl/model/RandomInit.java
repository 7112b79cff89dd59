package org.reasonrl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import org.reasonrl.runtime.SeedStream;

/**
 * A random starting distribution for a parameter, drawn in Java from a {@link SeedStream} by
 * {@link LlamaBlock#drawRandomParameters}. As a DJL {@link Initializer} it refuses to run: DJL's
 * initializers draw from libtorch's global generator, which every job in the JVM shares.
 */
record RandomInit(Distribution distribution, double scale) implements Initializer {

  enum Distribution {
    /** normal(0, scale). */
    NORMAL,
    /** uniform in [-scale, scale). */
    UNIFORM
  }

  /** normal(0, 0.02): Llama's (and GPT-2's) initializer_range for projections and embeddings. */
  static final RandomInit WEIGHTS = normal(0.02);

  static RandomInit normal(double std) {
    return new RandomInit(Distribution.NORMAL, std);
  }

  static RandomInit uniform(double bound) {
    return new RandomInit(Distribution.UNIFORM, bound);
  }

  /** The values of a {@code shape} tensor, row-major, from {@code stream}. */
  NDArray draw(NDManager manager, Shape shape, SeedStream stream) {
    int size = Math.toIntExact(shape.size());
    float[] values = distribution == Distribution.NORMAL
        ? stream.normal(size, scale) : stream.uniform(size, scale);
    return manager.create(values, shape);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    throw new IllegalStateException("random parameters are drawn from a SeedStream (CausalLm"
        + ".initializeRandom, ScalarHead.create, Lora.apply), never from libtorch's generator");
  }
}
