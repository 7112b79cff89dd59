package org.reasonrl.runtime;

import java.nio.file.Path;

/** What the engine started with: printed by {@code reasonrl:info} and recorded with every run. */
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
