package org.reasonrl.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Named statistics of a loss or a rollout buffer (KL, clip fraction, entropy, value loss, mean
 * reward, …), each kept as a weighted sum so that it aggregates exactly however the work is
 * split: a statistic's value is {@code sum / weight}, and merging adds sums and weights. An
 * objective reports, per micro-batch, e.g. {@code ("kl", Σ_tokens kl, tokens)} or
 * {@code ("clipFraction", clipped tokens, tokens)}; the loop merges the micro-batches of a step
 * (and an iteration merges its steps), so the recorded value is the mean over all units of the
 * step, not a mean of micro-batch means. Choose the weight as the unit the mean is over
 * (tokens, sequences, or 1 for a value already averaged). A part that does not report a
 * statistic contributes nothing to it (not a zero).
 *
 * @param entries by name, sorted (so records list them in a stable order)
 */
public record Statistics(SortedMap<String, Mean> entries) {

  /** No statistics: what supervised objectives report. */
  public static final Statistics NONE = new Statistics(new TreeMap<>());

  /**
   * One statistic.
   *
   * @param sum the summed quantity
   * @param weight how many units the sum covers; ≥ 0
   */
  public record Mean(double sum, double weight) {

    public Mean {
      if (!(weight >= 0)) {
        throw new IllegalArgumentException("a statistic's weight must be >= 0 but was "
            + weight);
      }
    }

    /** {@code sum / weight}; NaN for weight 0. */
    public double value() {
      return weight > 0 ? sum / weight : Double.NaN;
    }

    Mean plus(Mean other) {
      return new Mean(sum + other.sum, weight + other.weight);
    }
  }

  public Statistics {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** One statistic whose value is {@code sum / weight}. */
  public static Statistics of(String name, double sum, double weight) {
    return NONE.with(name, sum, weight);
  }

  /** These statistics and one more; the name must be new. */
  public Statistics with(String name, double sum, double weight) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a statistic needs a name");
    }
    if (entries.containsKey(name)) {
      throw new IllegalArgumentException("statistic '" + name + "' is already present");
    }
    TreeMap<String, Mean> more = new TreeMap<>(entries);
    more.put(name, new Mean(sum, weight));
    return new Statistics(more);
  }

  /** A value that is already a mean, as a statistic of weight 1. */
  public Statistics with(String name, double value) {
    return with(name, value, 1);
  }

  /** Both parts pooled: sums and weights of equal names are added. */
  public Statistics merge(Statistics other) {
    if (other.entries.isEmpty()) {
      return this;
    }
    if (entries.isEmpty()) {
      return other;
    }
    TreeMap<String, Mean> merged = new TreeMap<>(entries);
    other.entries.forEach((name, mean) -> merged.merge(name, mean, Mean::plus));
    return new Statistics(merged);
  }

  /**
   * Both parts side by side, for statistics of different origins (a rollout buffer's and its
   * updates'), which must not share a name.
   */
  public Statistics disjointUnion(Statistics other) {
    Statistics union = this;
    for (Map.Entry<String, Mean> entry : other.entries.entrySet()) {
      if (entries.containsKey(entry.getKey())) {
        throw new IllegalArgumentException("statistic '" + entry.getKey() + "' is reported by"
            + " both the rollout buffer and the updates; give them different names");
      }
      union = union.with(entry.getKey(), entry.getValue().sum(), entry.getValue().weight());
    }
    return union;
  }

  @JsonIgnore
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Each statistic's value, by name; statistics of weight 0 have no value and are left out. */
  public SortedMap<String, Double> values() {
    TreeMap<String, Double> values = new TreeMap<>();
    entries.forEach((name, mean) -> {
      if (mean.weight() > 0) {
        values.put(name, mean.value());
      }
    });
    return Collections.unmodifiableSortedMap(values);
  }
}
