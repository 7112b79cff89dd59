package org.reasonrl.train;

import java.util.List;

/**
 * The micro-batches of each optimizer step. It must be a pure function of the step (and of the
 * source's own seed and data): that makes the step the whole data cursor, so a resumed run sees
 * exactly the batches an uninterrupted run would, with no iterator or RNG state to save. Use
 * {@link ShuffledOrder} to get per-epoch shuffling with this property.
 *
 * @param <B> one micro-batch, in any form the {@link Objective} understands
 */
@FunctionalInterface
public interface BatchSource<B> {

  /** The micro-batches whose gradients are accumulated into optimizer step {@code step}. */
  List<B> microBatches(long step);
}
