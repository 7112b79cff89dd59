package org.reasonrl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedStreamTest {

  @Test
  void purposesHashWithFnv1a64() {
    // Published FNV-1a 64-bit test vectors (Fowler, Noll, Vo): "" is the offset basis.
    assertEquals(0xcbf29ce484222325L, SeedStream.hash(""));
    assertEquals(0xaf63dc4c8601ec8cL, SeedStream.hash("a"));
    assertEquals(0x85944171f73967e8L, SeedStream.hash("foobar"));
  }

  @Test
  void drawsAreSplitMix64AsTheJdkImplementsIt() {
    // SplittableRandom(seed) runs the same generator; it is the independent reference here.
    for (long seed : new long[] {0, 1, -7, 0x123456789ABCDEFL}) {
      SeedStream stream = SeedStream.fromSeed(seed);
      SplittableRandom reference = new SplittableRandom(seed);
      for (int i = 0; i < 100; i++) {
        assertEquals(reference.nextLong(), stream.nextLong(), "seed " + seed + " draw " + i);
      }
      SeedStream doubles = SeedStream.fromSeed(seed);
      SplittableRandom referenceDoubles = new SplittableRandom(seed);
      for (int i = 0; i < 100; i++) {
        assertEquals(referenceDoubles.nextDouble(), doubles.nextDouble());
      }
    }
  }

  @Test
  void aStreamIsAPureFunctionOfRunSeedAndPurpose() {
    assertArrayEquals(SeedStream.of(5, "init").normal(64, 1),
        SeedStream.of(5, "init").normal(64, 1));
    assertEquals(SeedStream.mix(5, SeedStream.hash("init")), SeedStream.of(5, "init").seed());
    assertNotEquals(SeedStream.of(5, "init").seed(), SeedStream.of(5, "head").seed());
    assertNotEquals(SeedStream.of(5, "init").seed(), SeedStream.of(6, "init").seed());
    // A derived stream does not depend on what its parent has drawn.
    SeedStream parent = SeedStream.of(5, "init");
    long before = parent.derive("layer").seed();
    parent.nextLong();
    parent.normal(3, 1);
    assertEquals(before, parent.derive("layer").seed());
    assertEquals(SeedStream.of(parent.seed(), "layer").seed(), before);
  }

  @Test
  void normalValuesAreBoxMullerPairsWithTheRequestedSpread() {
    SeedStream stream = SeedStream.of(1, "normal");
    float[] values = stream.normal(200_001, 0.02);
    SplittableRandom uniforms = new SplittableRandom(SeedStream.of(1, "normal").seed());
    double radius = Math.sqrt(-2 * Math.log(1 - uniforms.nextDouble()));
    double angle = 2 * Math.PI * uniforms.nextDouble();
    assertEquals(0.02 * radius * Math.cos(angle), values[0], 1e-9);
    assertEquals(0.02 * radius * Math.sin(angle), values[1], 1e-9);
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / values.length;
    // Standard error of the mean is 0.02 / sqrt(200001) = 4.5e-5; of the std about 3.2e-5.
    assertEquals(0, mean, 2.5e-4);
    assertEquals(0.02, Math.sqrt(squares / values.length - mean * mean), 2e-4);
  }

  @Test
  void uniformValuesStayInTheirInterval() {
    float[] values = SeedStream.of(2, "uniform").uniform(100_000, 0.25);
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      assertTrue(v >= -0.25f && v < 0.25f, "out of range: " + v);
      sum += v;
      squares += (double) v * v;
    }
    assertEquals(0, sum / values.length, 3e-3);
    assertEquals(0.25 * 0.25 / 3, squares / values.length, 1e-3, "variance of U(-b, b)");
  }

  @Test
  void nextIntCoversItsRangeAndRejectsAnEmptyOne() {
    SeedStream stream = SeedStream.of(3, "ints");
    int[] counts = new int[7];
    for (int i = 0; i < 7000; i++) {
      counts[stream.nextInt(7)]++;
    }
    for (int count : counts) {
      assertTrue(count > 800 && count < 1200, java.util.Arrays.toString(counts));
    }
    assertThrows(IllegalArgumentException.class, () -> stream.nextInt(0));
  }
}
