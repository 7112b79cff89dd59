package org.reasonrl.train.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Between the estimators' ragged Java arrays (one {@code float[]} per response) and the losses'
 * (B,T) NDArrays: responses right-padded with zeros from column 0, and their mask.
 */
public final class Ragged {

  private Ragged() {}

  public static int[] lengths(float[][] rows) {
    int[] lengths = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      lengths[i] = rows[i].length;
    }
    return lengths;
  }

  /** (B, width) float32, row b holding {@code rows[b]} then zeros. */
  public static NDArray padded(NDManager manager, float[][] rows, int width) {
    float[] flat = new float[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      if (rows[b].length > width) {
        throw new IllegalArgumentException("row " + b + " has " + rows[b].length
            + " tokens, more than the width " + width);
      }
      System.arraycopy(rows[b], 0, flat, b * width, rows[b].length);
    }
    return manager.create(flat, new Shape(rows.length, width));
  }

  /** (B, width) float32, 1 on the first {@code lengths[b]} columns of row b, 0 after. */
  public static NDArray mask(NDManager manager, int[] lengths, int width) {
    float[] flat = new float[lengths.length * width];
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] > width) {
        throw new IllegalArgumentException("row " + b + " has " + lengths[b]
            + " tokens, more than the width " + width);
      }
      Arrays.fill(flat, b * width, b * width + lengths[b], 1f);
    }
    return manager.create(flat, new Shape(lengths.length, width));
  }

  /** The first {@code lengths[b]} entries of each row of a (B,T) array, e.g. old log-probs. */
  public static float[][] unpadded(NDArray array, int[] lengths) {
    Shape shape = array.getShape();
    if (shape.dimension() != 2 || shape.get(0) != lengths.length) {
      throw new IllegalArgumentException("expected (" + lengths.length + ", T) but got " + shape);
    }
    int width = (int) shape.get(1);
    float[] flat = array.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] rows = new float[lengths.length][];
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] > width) {
        throw new IllegalArgumentException("row " + b + " has " + lengths[b]
            + " tokens, more than the width " + width);
      }
      rows[b] = Arrays.copyOfRange(flat, b * width, b * width + lengths[b]);
    }
    return rows;
  }

  /**
   * (B, width) float32, row b holding {@code rows[b]} at columns {@code offsets[b]} onwards and
   * zeros elsewhere: per-response-token values laid out where a teacher-forced
   * {@link org.reasonrl.train.SequenceBatch} scores the response (column {@code prompt − 1}).
   */
  public static NDArray placed(NDManager manager, float[][] rows, int[] offsets, int width) {
    if (offsets.length != rows.length) {
      throw new IllegalArgumentException(rows.length + " rows but " + offsets.length
          + " offsets");
    }
    float[] flat = new float[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      if (offsets[b] < 0 || offsets[b] + rows[b].length > width) {
        throw new IllegalArgumentException("row " + b + " has " + rows[b].length
            + " tokens from column " + offsets[b] + ", beyond the width " + width);
      }
      System.arraycopy(rows[b], 0, flat, b * width + offsets[b], rows[b].length);
    }
    return manager.create(flat, new Shape(rows.length, width));
  }

  /** The inverse of {@link #placed}: {@code lengths[b]} entries of row b from column offsets[b]. */
  public static float[][] gathered(NDArray array, int[] offsets, int[] lengths) {
    Shape shape = array.getShape();
    if (shape.dimension() != 2 || shape.get(0) != lengths.length
        || offsets.length != lengths.length) {
      throw new IllegalArgumentException("expected (" + lengths.length + ", T) with as many"
          + " offsets but got " + shape + " and " + offsets.length);
    }
    int width = (int) shape.get(1);
    float[] flat = array.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] rows = new float[lengths.length][];
    for (int b = 0; b < lengths.length; b++) {
      if (offsets[b] < 0 || offsets[b] + lengths[b] > width) {
        throw new IllegalArgumentException("row " + b + " has " + lengths[b]
            + " tokens from column " + offsets[b] + ", beyond the width " + width);
      }
      rows[b] = Arrays.copyOfRange(flat, b * width + offsets[b],
          b * width + offsets[b] + lengths[b]);
    }
    return rows;
  }
}
