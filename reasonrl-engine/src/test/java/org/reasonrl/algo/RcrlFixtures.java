package org.reasonrl.algo;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Gsm8k;
import org.reasonrl.data.Problem;
import org.reasonrl.data.WordLevelTokenizerJson;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.rollout.ScriptedModel;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.Optimization;

/**
 * Scripted policies whose RCRL labels can be worked out by hand. Every solution has two steps,
 * {@code " Mia\n"} and an answer: the writer answers {@code " 42"} or {@code " 7"} (equally
 * likely), the labeller always {@code " 42"}. So a first step is GOOD exactly when the
 * question's answer is 42 (its continuations all succeed, or all fail), and a last step exactly
 * when the solution is correct. The answer follows the condition token at once, so a tuned
 * policy can learn which one to write from the token alone. The vocabulary is the fixture's own
 * (a few dozen tokens), so the models are small and fast.
 */
final class RcrlFixtures {

  static final String WRITER = "writer";
  static final String LABELLER = "labeller";

  private RcrlFixtures() {}

  /**
   * {@code dir/writer}, {@code dir/labeller} and {@code dir/data} (train = test): every third
   * question has the answer 7 when {@code withSevens}, the others 42.
   */
  static DatasetSpec write(Path dir, int questions, boolean withSevens) throws IOException {
    return write(dir, questions, withSevens, true);
  }

  /**
   * {@link #write(Path, int, boolean)}; without {@code conditionTokens} the tokenizer has no
   * {@code [GOOD]}/{@code [BAD]} (as a Hugging Face checkpoint made without RCRL in mind) and the
   * policies' vocabulary is two tokens smaller.
   */
  static DatasetSpec write(Path dir, int questions, boolean withSevens, boolean conditionTokens)
      throws IOException {
    EngineRuntime.ensureStarted();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < questions; i++) {
      boolean seven = withSevens && i % 3 == 1;
      int a = 2 + i % 5;
      problems.add(seven
          ? new Problem("q" + i, "Tom has " + (7 - a % 5) + " pens and gets " + (a % 5)
              + " more pens. How many pens?", "Tom has 7 pens.\n#### 7", "7")
          : new Problem("q" + i, "Mia has " + a + " apples and buys " + (42 - a)
              + " more apples. How many apples?", "Mia has 42 apples.\n#### 42", "42"));
    }
    Path tokenizerFile = dir.resolve("tokenizer.json");
    Files.createDirectories(dir);
    List<String> texts = new ArrayList<>(List.of("Question: \nAnswer: Mia\n 42 7"));
    problems.forEach(p -> texts.add(p.question() + "\n" + p.referenceSolution()));
    WordLevelTokenizerJson.write(tokenizerFile, WordLevelTokenizerJson.vocabulary(texts));
    if (!conditionTokens) {
      withoutConditionTokens(tokenizerFile);
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile)) {
      Checkpoint.save(policy(manager, tokenizer, true), dir.resolve(WRITER), tokenizerFile);
      Checkpoint.save(policy(manager, tokenizer, false), dir.resolve(LABELLER), tokenizerFile);
    }
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Gsm8k.write(data.resolve("train.jsonl"), problems);
    Gsm8k.write(data.resolve("test.jsonl"), problems);
    return dataset(dir);
  }

  /** Drops [GOOD] and [BAD] from a tokenizer.json, closing the gap their ids leave. */
  private static void withoutConditionTokens(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(file.toFile());
    List<String> dropped = List.of(WordLevelTokenizerJson.GOOD, WordLevelTokenizerJson.BAD);
    int first = ((ObjectNode) root.path("model").path("vocab")).get(dropped.get(0)).asInt();
    ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
    ObjectNode renumbered = json.createObjectNode();
    vocab.fields().forEachRemaining(e -> {
      if (!dropped.contains(e.getKey())) {
        int id = e.getValue().asInt();
        renumbered.put(e.getKey(), id > first ? id - dropped.size() : id);
      }
    });
    ((ObjectNode) root.path("model")).set("vocab", renumbered);
    ArrayNode added = json.createArrayNode();
    for (JsonNode token : root.path("added_tokens")) {
      if (!dropped.contains(token.path("content").asText())) {
        ObjectNode copy = token.deepCopy();
        int id = copy.path("id").asInt();
        copy.put("id", id > first ? id - dropped.size() : id);
        added.add(copy);
      }
    }
    root.set("added_tokens", added);
    Files.writeString(file, json.writeValueAsString(root));
  }

  static DatasetSpec dataset(Path dir) {
    return new DatasetSpec(DatasetSpec.GSM8K, dir.resolve("data"), "train", true);
  }

  /** ":" → " Mia" → "\n" → (" 4" "2" | " 7") → EOS; the labeller never says 7. */
  private static CausalLm policy(NDManager manager, Tokenizer tokenizer, boolean bothAnswers) {
    int colon = ScriptedModel.id(tokenizer, ":");
    int mia = ScriptedModel.id(tokenizer, " Mia");
    int newline = ScriptedModel.id(tokenizer, "\n");
    int four = ScriptedModel.id(tokenizer, " 4");
    int two = ScriptedModel.id(tokenizer, "2");
    int seven = ScriptedModel.id(tokenizer, " 7");
    List<int[]> edges = new ArrayList<>(List.of(new int[] {colon, mia}, new int[] {mia, newline},
        new int[] {newline, four}, new int[] {four, two},
        new int[] {two, tokenizer.eosId()}, new int[] {seven, tokenizer.eosId()}));
    if (bothAnswers) {
      edges.add(new int[] {newline, seven});
    }
    return ScriptedModel.graph(manager, tokenizer, colon, edges.toArray(int[][]::new), true);
  }

  /** A small spec: K=4 solutions at T=1, 3 continuations per prefix, T = 0.5, a short tune. */
  static RcrlSpec spec(Path dir, DatasetSpec data, Path output, long steps) {
    return spec(dir, data, output, steps, 3e-3);
  }

  static RcrlSpec spec(Path dir, DatasetSpec data, Path output, long steps, double lr) {
    return new RcrlSpec(dir.resolve(WRITER), RcrlSpec.ROLLOUT_LABELS, dir.resolve(LABELLER), null,
        0.5, 3, data, data.withSplit("test"), output, 0, RolloutSpec.of(4, 1.0, 12, 16),
        new Optimization(steps, 8, 8, lr, 2, 0.0, 1.0, 5, 10), 0,
        RolloutSpec.of(2, 1.0, 12, 16), 5);
  }

  /**
   * The kill tests' run: enough questions for several labelling chunks, a checkpoint every 4
   * fine-tune steps, evaluation on the first 20 problems.
   */
  static RcrlSpec killSpec(Path dir, Path output) {
    DatasetSpec data = dataset(dir);
    return new RcrlSpec(dir.resolve(WRITER), RcrlSpec.ROLLOUT_LABELS, dir.resolve(LABELLER), null,
        0.5, 2, data, data.withSplit("test"), output, 0, RolloutSpec.of(2, 1.0, 12, 64),
        new Optimization(12, 8, 8, 3e-3, 2, 0.0, 1.0, 4, 4), 20,
        RolloutSpec.of(2, 1.0, 12, 64), 5);
  }
}
