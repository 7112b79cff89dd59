package org.reasonrl.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reasonrl.run.AtomicFiles;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;

/**
 * Where {@link RolloutIterations} keeps each iteration's buffer, {@code rollouts-<n>/}: written
 * whole (codec files and statistics) before the iteration's updates, read back by a resumed
 * attempt instead of sampling again, deleted once the iteration's checkpoint is written.
 */
final class RolloutBuffers<R> {

  private static final Pattern NAME =
      Pattern.compile(RolloutIterations.BUFFER_PREFIX + "(\\d+)");

  private final RunDirectory run;
  private final RolloutIterations.BufferBuilder<R> builder;
  private final RolloutIterations.BufferCodec<R> codec;

  RolloutBuffers(RunDirectory run, RolloutIterations.BufferBuilder<R> builder,
      RolloutIterations.BufferCodec<R> codec) {
    this.run = run;
    this.builder = builder;
    this.codec = codec;
  }

  /** Iteration n's buffer: read back if a previous attempt persisted it, else built and saved. */
  RolloutIterations.Buffer<R> loadOrBuild(long iteration, NDManager manager) {
    Path dir = dir(iteration);
    try {
      if (Files.isDirectory(dir)) {
        return new RolloutIterations.Buffer<>(codec.read(dir), Json.mapper().readValue(
            dir.resolve(RolloutIterations.BUFFER_STATISTICS_FILE).toFile(), Statistics.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the rollout buffer " + dir, e);
    }
    RolloutIterations.Buffer<R> built = builder.build(iteration, manager);
    run.writeDirectory(dir.getFileName().toString(), target -> {
      codec.write(built.contents(), target);
      RunDirectory.writeJson(target.resolve(RolloutIterations.BUFFER_STATISTICS_FILE),
          built.statistics());
    });
    return built;
  }

  /** Iteration n's buffer, spent. */
  void delete(long iteration) {
    delete(dir(iteration));
  }

  /** Leftover buffers of iterations other than {@code next}: spent, or never to be reached. */
  void deleteOtherThan(long next) {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(run.root(),
        RolloutIterations.BUFFER_PREFIX + "*")) {
      for (Path entry : entries) {
        Matcher matcher = NAME.matcher(entry.getFileName().toString());
        if (matcher.matches() && Long.parseLong(matcher.group(1)) != next) {
          stale.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + run.root(), e);
    }
    stale.forEach(RolloutBuffers::delete);
  }

  private Path dir(long iteration) {
    return run.resolve(RolloutIterations.BUFFER_PREFIX + iteration);
  }

  private static void delete(Path path) {
    try {
      AtomicFiles.deleteRecursively(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
