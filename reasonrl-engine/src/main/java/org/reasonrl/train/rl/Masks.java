package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Counting a (B,T) 0/1 mask, on the host (counts are plain numbers, not part of the graph). */
final class Masks {

  private Masks() {}

  static double total(NDArray mask) {
    return mask.toType(DataType.FLOAT64, false).sum().getDouble();
  }

  static float[] perRow(NDArray mask) {
    return mask.toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
  }

  /** Mean of {@code values} over the masked entries, on the host; NaN for an empty mask. */
  static double mean(NDArray values, NDArray mask) {
    float[] v = values.toType(DataType.FLOAT32, false).toFloatArray();
    float[] m = mask.toType(DataType.FLOAT32, false).toFloatArray();
    double sum = 0;
    double count = 0;
    for (int i = 0; i < v.length; i++) {
      if (m[i] > 0) {
        sum += v[i];
        count++;
      }
    }
    return sum / count;
  }
}
