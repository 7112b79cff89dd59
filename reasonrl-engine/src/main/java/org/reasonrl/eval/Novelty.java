package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many correct samples follow a solution path the reference set does not hold
 * ({@link NoveltyReference} defines the path).
 *
 * @param referencedProblems evaluated problems the reference set has solutions for (the others
 *     are left out)
 * @param correctSamples correct temperature samples of those problems
 * @param novelSamples those whose path is none of their problem's references
 * @param novelShare {@code novelSamples / correctSamples}, or {@code null} when none is correct
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Novelty(int referencedProblems, int correctSamples, int novelSamples,
    Double novelShare) {}
