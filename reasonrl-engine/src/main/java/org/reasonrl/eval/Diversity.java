package org.reasonrl.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.reasonrl.data.WordLevelTokenizerJson;

/**
 * How different a problem's correct solutions are, among its first K samples. Texts are compared
 * after trimming and collapsing whitespace.
 *
 * @param correct number of correct samples
 * @param distinctCorrect number of distinct correct solutions
 * @param meanPairwiseEditDistance mean token edit distance over the pairs of <em>distinct</em>
 *     correct solutions (a repeated solution adds no pair, so repeats do not pull it towards 0),
 *     or {@code null} when fewer than two are distinct
 */
public record Diversity(int correct, int distinctCorrect, Double meanPairwiseEditDistance) {

  /** Diversity of the correct solutions among the first {@code k} samples, over {@code tokens}. */
  public static Diversity of(List<Sample> samples, int k, Function<String, List<String>> tokens) {
    int correct = 0;
    Set<String> distinct = new LinkedHashSet<>();
    for (Sample s : samples.subList(0, Math.min(k, samples.size()))) {
      if (s.correct()) {
        correct++;
        distinct.add(normalizeText(s.text()));
      }
    }
    if (distinct.size() < 2) {
      return new Diversity(correct, distinct.size(), null);
    }
    List<List<String>> tokenized = new ArrayList<>(distinct.size());
    distinct.forEach(text -> tokenized.add(tokens.apply(text)));
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < tokenized.size(); i++) {
      for (int j = i + 1; j < tokenized.size(); j++) {
        sum += editDistance(tokenized.get(i), tokenized.get(j));
        pairs++;
      }
    }
    return new Diversity(correct, distinct.size(), sum / pairs);
  }

  /** With the embedded tokenizer's split (words, digits, marks) as tokens. */
  public static Diversity of(List<Sample> samples, int k) {
    return of(samples, k, WordLevelTokenizerJson::pieces);
  }

  static String normalizeText(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /** Levenshtein distance between token sequences (insert, delete, substitute cost 1). */
  public static int editDistance(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (int j = 0; j <= b.size(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.size(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.size(); j++) {
        int substitute = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
