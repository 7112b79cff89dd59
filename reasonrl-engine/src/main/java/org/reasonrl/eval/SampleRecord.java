package org.reasonrl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One line of {@code samples.jsonl}: a generated solution, its answer and its verdict. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleRecord(
    String problemId,
    String gold,
    String kind,
    int index,
    String completion,
    String answer,
    String rule,
    boolean correct,
    Double ormScore,
    String stop,
    int tokens) {}
