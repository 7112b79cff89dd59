package org.reasonrl.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ids of Return-Conditioned RL's special tokens {@code [GOOD]} and {@code [BAD]}.
 *
 * <p>The embedded tokenizer reserves them; a Hugging Face checkpoint (Llama-2, say) lacks them.
 * {@link #ensure} then writes a copy of its {@code tokenizer.json} with them appended to
 * {@code added_tokens} as special tokens, as Python's {@code add_special_tokens} would: the next
 * free ids, matched verbatim in the raw text, dropped by {@code decode(ids, true)}. The model
 * then needs rows for the new ids ({@code org.reasonrl.model.VocabularyGrowth}).
 */
public record ConditionTokens(int good, int bad) {

  public static final String GOOD = "[GOOD]";
  public static final String BAD = "[BAD]";
  public static final List<String> NAMES = List.of(GOOD, BAD);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  /** AtomicFiles' temp suffix, so that a run directory's recovery clears what a kill leaves. */
  private static final String TEMP_SUFFIX = ".tmp";

  /**
   * The ids in {@code tokenizer}, checked the way that matters: each token is special and
   * encodes on its own to exactly its listed id (the tokenizers library assigns added tokens'
   * ids itself and only warns when the file disagrees; that must fail here, not in training).
   */
  public static ConditionTokens of(Tokenizer tokenizer) {
    int[] ids = new int[NAMES.size()];
    for (int i = 0; i < ids.length; i++) {
      String token = NAMES.get(i);
      ids[i] = tokenizer.tokenId(token);
      requireSpecial(tokenizer, token);
      int[] encoded = tokenizer.encode(token);
      if (!Arrays.equals(encoded, new int[] {ids[i]})) {
        throw new IllegalArgumentException(tokenizer.file() + " lists " + token + " as id "
            + ids[i] + " but encodes it as " + Arrays.toString(encoded));
      }
    }
    return new ConditionTokens(ids[0], ids[1]);
  }

  /**
   * A tokenizer.json holding both tokens as specials: {@code source} itself when it already does;
   * otherwise {@code target}, written atomically, with the missing ones added at ids
   * {@code vocabSize()}, {@code vocabSize() + 1} ({@code source}'s {@code tokenizer_config.json}
   * is copied beside it so that BOS/EOS/PAD stay the same). The new file is loaded and checked
   * before it is renamed into place. A token present but not special is an error.
   */
  public static Path ensure(Path source, Path target) {
    List<String> missing = new ArrayList<>();
    int firstNewId;
    int[] specialIds;
    try (Tokenizer tokenizer = Tokenizer.load(source)) {
      for (String token : NAMES) {
        if (!tokenizer.contains(token)) {
          missing.add(token);
        } else {
          requireSpecial(tokenizer, token);
        }
      }
      if (missing.isEmpty()) {
        of(tokenizer);
        return source;
      }
      firstNewId = tokenizer.vocabSize();
      specialIds = specialIds(tokenizer);
    }
    Path temp = temporary(target);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      copyTokenizerConfig(source, target);
      Files.write(temp, withAddedTokens(source, missing, firstNewId));
      try (Tokenizer grown = Tokenizer.load(temp)) {
        check(grown, source, specialIds);
      }
      moveIntoPlace(temp, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static void requireSpecial(Tokenizer tokenizer, String token) {
    if (!tokenizer.isSpecial(token)) {
      throw new IllegalArgumentException(token + " is in " + tokenizer.file()
          + " but not as a special token: ordinary text could produce it, decoding would keep it");
    }
  }

  private static int[] specialIds(Tokenizer tokenizer) {
    return new int[] {tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId()};
  }

  /** {@code source}'s JSON with {@code tokens} appended to added_tokens from {@code firstId}. */
  private static byte[] withAddedTokens(Path source, List<String> tokens, int firstId)
      throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(source.toFile());
    JsonNode existing = root.path("added_tokens");
    ArrayNode added = existing.isArray() ? (ArrayNode) existing : root.putArray("added_tokens");
    for (int i = 0; i < tokens.size(); i++) {
      added.addObject().put("id", firstId + i).put("content", tokens.get(i))
          .put("single_word", false).put("lstrip", false).put("rstrip", false)
          .put("normalized", false).put("special", true);
    }
    return JSON.writeValueAsBytes(root);
  }

  /** Fails unless the grown file really holds the ids written and keeps BOS/EOS/PAD. */
  private static void check(Tokenizer grown, Path source, int[] specialIds) {
    of(grown); // the library numbers added tokens itself: with gaps in the ids it disagrees
    if (!Arrays.equals(specialIds(grown), specialIds)) {
      throw new IllegalArgumentException("adding " + NAMES + " to " + source
          + " changed BOS/EOS/PAD from " + Arrays.toString(specialIds) + " to "
          + Arrays.toString(specialIds(grown)));
    }
  }

  /** Copies it unless the target's directory has its own (then {@link #check} compares). */
  private static void copyTokenizerConfig(Path source, Path target) throws IOException {
    Path config = source.resolveSibling(TOKENIZER_CONFIG);
    Path copy = target.resolveSibling(TOKENIZER_CONFIG);
    if (Files.isRegularFile(config) && !Files.exists(copy)) {
      Path temp = temporary(copy);
      Files.copy(config, temp, StandardCopyOption.REPLACE_EXISTING);
      moveIntoPlace(temp, copy);
    }
  }

  private static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
  }

  private static void moveIntoPlace(Path temp, Path file) throws IOException {
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // Left for the run directory's recovery, which deletes *.tmp files.
    }
  }
}
