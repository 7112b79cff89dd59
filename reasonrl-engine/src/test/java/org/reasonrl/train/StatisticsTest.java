package org.reasonrl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reasonrl.run.Json;

class StatisticsTest {

  @Test
  void microBatchesPoolAsAWeightedMeanNotAMeanOfMeans() {
    // Micro-batch 1: 3 tokens with KL 0.1 each, one of them clipped.
    // Micro-batch 2: 1 token with KL 0.5, clipped; it alone reports the entropy.
    Statistics first = Statistics.of("kl", 0.3, 3).with("clipFraction", 1, 3);
    Statistics second = Statistics.of("kl", 0.5, 1).with("clipFraction", 1, 1)
        .with("entropy", 2.0, 1);

    Map<String, Double> values = first.merge(second).values();

    assertEquals(0.8 / 4, values.get("kl"), 1e-15); // not (0.1 + 0.5) / 2
    assertEquals(2.0 / 4, values.get("clipFraction"), 1e-15);
    assertEquals(2.0, values.get("entropy"), 1e-15); // the first micro-batch adds nothing to it
    assertEquals(List.of("clipFraction", "entropy", "kl"), List.copyOf(values.keySet()));
  }

  @Test
  void mergingIsOrderFreeAndEmptyIsItsIdentity() {
    Statistics a = Statistics.of("x", 1, 2);
    Statistics b = Statistics.of("x", 4, 3).with("y", 7);
    assertEquals(a.merge(b), b.merge(a));
    assertEquals(a, a.merge(Statistics.NONE));
    assertEquals(b, Statistics.NONE.merge(b));
    assertEquals(new Statistics.Mean(5, 5), a.merge(b).entries().get("x"));
  }

  @Test
  void aStatisticOfWeightZeroHasNoValueAndIsLeftOut() {
    Statistics statistics = Statistics.of("clipFraction", 0, 0).with("kl", 0.2, 4);
    assertEquals(Map.of("kl", 0.05), statistics.values());
    assertTrue(Double.isNaN(statistics.entries().get("clipFraction").value()));
  }

  @Test
  void namesMustBeUniqueWithinAPartAndAcrossBufferAndUpdates() {
    Statistics reward = Statistics.of("reward", 3, 4);
    IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
        () -> reward.with("reward", 1));
    assertTrue(duplicate.getMessage().contains("'reward'"), duplicate.getMessage());
    IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
        () -> reward.disjointUnion(Statistics.of("reward", 1, 1)));
    assertTrue(clash.getMessage().contains("'reward'"), clash.getMessage());
    assertEquals(Map.of("reward", 0.75, "kl", 0.5),
        reward.disjointUnion(Statistics.of("kl", 1, 2)).values());
    assertThrows(IllegalArgumentException.class, () -> Statistics.of("kl", 1, -1));
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    Statistics statistics = Statistics.of("kl", 0.1 + 0.2, 3).with("reward", 1.0 / 3);
    String json = Json.mapper().writeValueAsString(statistics);
    assertEquals(statistics, Json.mapper().readValue(json, Statistics.class), json);
  }
}
