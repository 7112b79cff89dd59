package org.reasonrl.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-made tokenizer.json files, as a Hugging Face checkpoint would ship them. */
public final class TokenizerFixtures {

  /** The specials of {@link #writeTokenizer(Path)}: {@code [GOOD]} but no {@code [BAD]}. */
  public static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>", "[GOOD]");
  /** Specials without either condition token, as in a checkpoint made without RCRL in mind. */
  public static final List<String> PLAIN_SPECIALS =
      List.of("<pad>", "<s>", "</s>", "<unk>", "<mask>");
  public static final List<String> WORDS =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "plus", "is", "+", "=", ".");

  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFixtures() {}

  /** {@link #writeTokenizer(Path, List)} with {@link #SPECIALS}. */
  public static Path writeTokenizer(Path dir) throws IOException {
    return writeTokenizer(dir, SPECIALS);
  }

  /**
   * A WordLevel tokenizer.json: whitespace split, digits one a token, BOS added on request;
   * {@code specials} take ids 0, 1, … (the second must be {@code <s>}), then {@link #WORDS}.
   */
  public static Path writeTokenizer(Path dir, List<String> specials) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < specials.size(); i++) {
      added.addObject().put("id", i).put("content", specials.get(i)).put("single_word", false)
          .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode pres = pre.putArray("pretokenizers");
    pres.addObject().put("type", "WhitespaceSplit");
    pres.addObject().put("type", "Digits").put("individual_digits", true);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
    bos.put("id", "<s>");
    bos.putArray("ids").add(1);
    bos.putArray("tokens").add("<s>");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < specials.size(); i++) {
      vocab.put(specials.get(i), i);
    }
    for (int i = 0; i < WORDS.size(); i++) {
      vocab.put(WORDS.get(i), specials.size() + i);
    }
    model.put("unk_token", "<unk>");
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }
}
