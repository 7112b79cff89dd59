package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The four accuracies of the study, each with its bootstrap 95% interval, and a diversity
 * summary. {@code maj1} is absent when no greedy solutions were generated; {@code rerankAtK} is
 * absent when no reward model scored the samples.
 *
 * @param problems number of problems
 * @param k samples per problem used for maj@K, rerank@K and pass@K
 * @param samplesPerProblem samples drawn per problem (n >= k; pass@K uses all n)
 * @param meanDistinctCorrect mean over problems of the number of distinct correct solutions
 * @param meanPairwiseEditDistance mean over problems with at least two correct samples of their
 *     mean pairwise token edit distance; absent when no problem has two
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalResult(
    int problems,
    int k,
    int samplesPerProblem,
    MetricValue maj1,
    MetricValue majAtK,
    MetricValue passAtK,
    MetricValue rerankAtK,
    double meanDistinctCorrect,
    Double meanPairwiseEditDistance) {}
