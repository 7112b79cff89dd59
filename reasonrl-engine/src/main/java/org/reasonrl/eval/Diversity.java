package org.reasonrl.eval;

/**
 * How different a problem's correct solutions are, among its first K samples.
 *
 * @param correct number of correct samples
 * @param distinctCorrect number of distinct correct solutions, compared after normalising
 *     whitespace
 * @param meanPairwiseEditDistance mean token edit distance over all pairs of correct samples, or
 *     {@code null} when fewer than two are correct
 */
public record Diversity(int correct, int distinctCorrect, Double meanPairwiseEditDistance) {}
