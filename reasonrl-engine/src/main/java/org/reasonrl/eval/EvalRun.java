package org.reasonrl.eval;

import java.util.List;
import java.util.Map;

/**
 * What one evaluation produced.
 *
 * @param result the metrics with their intervals
 * @param outcomes per problem, the judged greedy solution and samples
 * @param samples every generated solution, for {@code samples.jsonl}
 * @param rollouts solutions generated (greedy and sampled)
 * @param generatedTokens tokens generated in all
 * @param seconds wall time per stage (greedy, sampling, scoring)
 */
public record EvalRun(EvalResult result, List<ProblemOutcome> outcomes, List<SampleRecord> samples,
    long rollouts, long generatedTokens, Map<String, Double> seconds) {}
