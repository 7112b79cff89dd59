package org.reasonrl.train.rl;

import java.util.Arrays;

/**
 * An estimator's output, ragged like its input.
 *
 * @param advantages per sequence, the advantage of each response token (what the policy loss
 *     multiplies the ratio by)
 * @param returns per sequence, the value target of each token (for the critic's loss; critic-free
 *     estimators return their per-token score here, as veRL does)
 */
public record Advantages(float[][] advantages, float[][] returns) {

  /** A sequence-level score per sequence, repeated on each of its tokens. */
  static float[][] broadcast(double[] perSequence, float[][] shapeLike) {
    float[][] out = new float[shapeLike.length][];
    for (int i = 0; i < shapeLike.length; i++) {
      out[i] = new float[shapeLike[i].length];
      Arrays.fill(out[i], (float) perSequence[i]);
    }
    return out;
  }
}
