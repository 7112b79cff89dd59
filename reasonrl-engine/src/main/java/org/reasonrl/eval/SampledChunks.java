package org.reasonrl.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.reasonrl.rollout.Rollout;
import org.reasonrl.rollout.StopReason;
import org.reasonrl.run.AtomicFiles;
import org.reasonrl.run.Json;

/**
 * Finished chunks of an evaluation's sampling, kept in a directory so that a run killed while
 * sampling resumes after its last finished chunk instead of sampling everything again. Each
 * chunk is one file, written atomically once its rollouts are drawn; a chunk is reused only if
 * its key matches (pass, the chunk's prompt tokens, samples per prompt, sampling settings, row
 * seed) and it was sampled from the policy as it is now: the time of the policy's newest file
 * is kept with each chunk, and a chunk of another time (a retrained or restored checkpoint) is
 * sampled again. Only what the evaluator reads is kept: the generated
 * tokens, the completion and the stop reason; log-probabilities are not (read back as 0).
 */
public final class SampledChunks {

  /** The directory name a run keeps its chunks under. */
  public static final String DIR = "eval-chunks";

  /** Rows a chunk aims at unless {@code -Dreasonrl.evalChunkRows} says otherwise. */
  public static final int DEFAULT_CHUNK_ROWS = 256;

  private final Path dir;
  private final long policyTime;
  private final int chunkRows;
  private int reused;
  private int sampled;

  /** One chunk file. */
  record Chunk(String key, long policyTime, int firstPrompt, int prompts, int perPrompt, List<Row> rows) {}

  /** One rollout of a chunk, without its prompt (which the key covers). */
  record Row(int sample, int[] tokens, String completion, String stop) {}

  /**
   * @param dir where the chunks are kept (created when the first is written)
   * @param policyTime the time of the policy's newest file; chunks kept under another time are
   *     stale and sampled again
   * @param chunkRows rows a chunk aims at (it holds whole batches, so at least one); the
   *     result does not depend on it, only how much a kill loses and how many files are kept
   */
  public SampledChunks(Path dir, FileTime policyTime, int chunkRows) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("evalChunkRows must be >= 1 but was " + chunkRows);
    }
    this.dir = dir;
    this.policyTime = policyTime.toMillis();
    this.chunkRows = chunkRows;
    if (Files.isDirectory(dir)) {
      try {
        AtomicFiles.recoverInterruptedWrites(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear interrupted writes in " + dir, e);
      }
    }
  }

  /** The rows a chunk aims at. */
  public int chunkRows() {
    return chunkRows;
  }

  /** Chunks found finished and reused so far. */
  public int reused() {
    return reused;
  }

  /** Chunks sampled (and written) so far. */
  public int sampled() {
    return sampled;
  }

  /**
   * The rollouts of chunk {@code index} if a finished, current file with {@code key} holds
   * them, with prompt indices counted from {@code firstPrompt} and {@code prompts} as their
   * prompt tokens; else {@code null}.
   */
  List<Rollout> find(String pass, int index, String key, int firstPrompt, List<int[]> prompts,
      int perPrompt) {
    Path file = file(pass, index);
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      Chunk chunk = Json.mapper().readValue(file.toFile(), Chunk.class);
      if (!chunk.key().equals(key) || chunk.policyTime() != policyTime
          || chunk.firstPrompt() != firstPrompt
          || chunk.prompts() != prompts.size() || chunk.perPrompt() != perPrompt
          || chunk.rows().size() != prompts.size() * perPrompt) {
        return null;
      }
      List<Rollout> rollouts = new ArrayList<>(chunk.rows().size());
      for (int r = 0; r < chunk.rows().size(); r++) {
        Row row = chunk.rows().get(r);
        int length = row.tokens().length;
        rollouts.add(new Rollout(firstPrompt + r / perPrompt, row.sample(),
            prompts.get(r / perPrompt), row.tokens(), new float[length], new float[length],
            row.completion(), StopReason.valueOf(row.stop())));
      }
      reused++;
      return rollouts;
    } catch (IOException | RuntimeException unreadable) {
      return null; // written atomically, so only a file of another version: sample again
    }
  }

  /** Keeps the finished chunk {@code index}. */
  void save(String pass, int index, String key, int firstPrompt, int prompts, int perPrompt,
      List<Rollout> rollouts) {
    List<Row> rows = rollouts.stream().map(r -> new Row(r.sampleIndex(), r.tokens(),
        r.completion(), r.stop().name())).toList();
    AtomicFiles.writeJson(file(pass, index), new Chunk(key, policyTime, firstPrompt, prompts,
        perPrompt, rows));
    sampled++;
  }

  private Path file(String pass, int index) {
    return dir.resolve(String.format("%s-%05d.json", pass, index));
  }

  /** A chunk's key: SHA-256 over the pass's settings and the chunk's prompt tokens. */
  static String key(String settings, List<int[]> prompts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(settings.getBytes(StandardCharsets.UTF_8));
      for (int[] prompt : prompts) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * (prompt.length + 1));
        bytes.putInt(prompt.length);
        for (int token : prompt) {
          bytes.putInt(token);
        }
        digest.update(bytes.array());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
