package org.reasonrl.model;

import ai.djl.ndarray.NDArray;

/**
 * One forward call's result.
 *
 * @param logits (B, T, V), or (B, 1, V) when only the last position was asked for
 * @param hidden (B, T, H) hidden states after the final norm (input of the LM, value and reward
 *     heads)
 * @param cache the cache passed in, now holding these tokens too; {@code null} if none was given
 */
public record DecoderOutput(NDArray logits, NDArray hidden, KvCache cache) {}
