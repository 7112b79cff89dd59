package org.reasonrl.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.lang.reflect.Field;
import java.util.IdentityHashMap;

/**
 * Counts the NDArrays created on this thread while it is open: every {@code PtNDArray}
 * constructor (each op result, each {@code create}/{@code zeros}/{@code full}, each
 * {@code getGradient()} wrapper, each view from {@code get}) registers with the innermost
 * {@link NDScope}. This installs a counting map in place of that scope's set, so nothing is kept
 * and closing the counter closes nothing. In-place ops ({@code addi}, {@code set}) and the ops
 * libtorch runs inside {@code backward} make no Java array and are not counted: the count is the
 * JNI crossings that return an array, the per-op overhead a change can remove from Java.
 */
final class ArrayCounter implements AutoCloseable {

  private static final Field RESOURCES;

  static {
    try {
      RESOURCES = NDScope.class.getDeclaredField("resources");
      RESOURCES.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NDScope scope = new NDScope();
  private final CountingMap created = new CountingMap();

  ArrayCounter() {
    try {
      RESOURCES.set(scope, created);
    } catch (IllegalAccessException e) {
      scope.close();
      throw new IllegalStateException(e);
    }
  }

  /** Arrays created on this thread since this counter was opened. */
  long count() {
    return created.puts;
  }

  @Override
  public void close() {
    scope.close();
  }

  /** Counts registrations and keeps nothing, so {@link NDScope#close} has nothing to close. */
  private static final class CountingMap extends IdentityHashMap<NDArray, NDArray> {
    private long puts;

    @Override
    public NDArray put(NDArray key, NDArray value) {
      puts++;
      return null;
    }
  }
}
