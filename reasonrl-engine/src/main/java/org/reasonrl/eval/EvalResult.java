package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The four accuracies of the study, each with its bootstrap 95% interval, their first-K variants,
 * and the diversity and novelty of the correct solutions. Absent ({@code null}, left out of the
 * JSON): {@code maj1} without greedy solutions, the rerank metrics without reward-model scores,
 * {@code novelty} without a reference set.
 *
 * <p>Files written before the disjoint-group estimators have no {@code groups} (read as 0):
 * their {@code majAtK} and {@code rerankAtK} are the first-K variants.
 *
 * @param problems number of problems
 * @param k samples per vote, rerank and pass
 * @param samplesPerProblem samples drawn per problem (n >= k; the fewest over problems)
 * @param groups ⌊n/K⌋, the disjoint groups of K samples maj@K and rerank@K average over
 * @param maj1 greedy accuracy
 * @param majAtK majority vote, averaged over the disjoint groups
 * @param passAtK unbiased pass@K over all n samples
 * @param rerankAtK reward-model pick, averaged over the disjoint groups
 * @param majAtKFirst majority vote of the first K samples (lm-evaluation-harness)
 * @param rerankAtKFirst reward-model pick among the first K samples
 * @param problemsWithCorrect problems with at least one correct sample among their first K
 * @param meanDistinctCorrect mean over those problems of their number of distinct correct
 *     solutions among the first K; absent when no problem has one
 * @param meanPairwiseEditDistance mean over problems with at least two distinct correct
 *     solutions of their mean token edit distance over distinct pairs; absent when none has two
 * @param novelty the share of correct samples whose solution path the reference set lacks
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalResult(
    int problems,
    int k,
    int samplesPerProblem,
    int groups,
    MetricValue maj1,
    MetricValue majAtK,
    MetricValue passAtK,
    MetricValue rerankAtK,
    MetricValue majAtKFirst,
    MetricValue rerankAtKFirst,
    int problemsWithCorrect,
    Double meanDistinctCorrect,
    Double meanPairwiseEditDistance,
    Novelty novelty) {}
