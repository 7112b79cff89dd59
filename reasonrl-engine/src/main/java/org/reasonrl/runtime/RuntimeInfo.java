package org.reasonrl.runtime;

import java.nio.file.Path;

/**
 * What the engine runs with, for the whole JVM: printed by {@code reasonrl:info} and recorded
 * with every run. It is fixed by the first {@link EngineRuntime#start}, so two jobs sharing the
 * JVM record the same; a run's own seed is recorded beside it, not here.
 *
 * @param threads libtorch's intra-op thread count as libtorch reports it (not as requested)
 * @param seed the seed libtorch's global generator got at the first start; nothing ReasonRL
 *     draws comes from that generator (see {@link SeedStream})
 */
public record RuntimeInfo(
    String reasonrlVersion,
    String engineName,
    String engineVersion,
    String djlVersion,
    String nativeArtifact,
    String device,
    int gpuCount,
    int threads,
    boolean offline,
    Path cacheDir,
    long seed,
    String javaVersion,
    String os) {}
