package org.reasonrl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version-1 generator is frozen: committed reports, pretrained checkpoints (their vocabulary)
 * and run identities depend on its exact output. The digests were taken from the code before the
 * version-2 generator was added beside it; a change here means v1 changed, which it must not.
 */
class SyntheticV1FrozenTest {

  private static final SyntheticOptions SMALL = SyntheticOptions.defaults().withSizes(1500, 300);

  @TempDir Path dir;

  @Test
  void problemsCorpusAndVocabularyAreByteIdentical() {
    SyntheticBenchmark.Splits small = new SyntheticBenchmark(SMALL).generate();
    assertEquals("0ec2bcd02fa8ef94db33165407a8eaed1cc38b834779171915a58f2afd94ede8",
        digest(small.train()));
    assertEquals("32d7a2b4eb937c62dfc732083a572f3e7f7394bc14da7cc774711a9fb10a30ed",
        digest(small.test()));
    SyntheticBenchmark.Splits defaults =
        new SyntheticBenchmark(SyntheticOptions.defaults()).generate();
    assertEquals("a5a538dbaee62b97b6ab39624e49c922fca9bc51694952cf442390fb485acea9",
        digest(defaults.train()));
    assertEquals("6ba582812d796a6551c582b0414a0c1005516925fe4fc67875ea3dc2164ba3cb",
        digest(defaults.test()));
    assertEquals("71ee45298218d071a56e275a86c3b2f2041ecb355c77a90e82d65a626faa788c",
        digestStrings(new PretrainCorpus(SMALL).generate(7, 400, small.test())));
    assertEquals(319, SyntheticBenchmark.vocabulary().size());
    assertEquals("699819f15dc0732e628d088de7edd4aca404a8c3ac8c3b4c4f9b613be89b7003",
        digestStrings(SyntheticBenchmark.vocabulary()));
  }

  @Test
  void writtenFilesAreByteIdentical() throws IOException {
    SyntheticFiles.write(new SyntheticBenchmark(SMALL), dir);
    assertEquals("01b7f3957182c59b394d7b55416064198b38d5b1bde9d324683be79f6bb73cbd",
        digestFile(SyntheticFiles.TRAIN_FILE));
    assertEquals("8e5723598705f6f471c259fb84f9205fbbf40d1259686b2279333ed492cdb933",
        digestFile(SyntheticFiles.TEST_FILE));
    assertEquals("a09725e3534df75b8654f0af93653cd7b470432b1d4dc547b2e9981e7c63f47b",
        digestFile(SyntheticFiles.TOKENIZER_FILE));
    assertEquals("d2693c58b281db1d4f95ed48f119e428a5b6ec84aa549c26e8b49f5ecdb13b94",
        digestFile(SyntheticFiles.DESCRIPTION_FILE));
  }

  private String digestFile(String name) throws IOException {
    return HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(dir.resolve(name))));
  }

  private static String digest(List<Problem> problems) {
    List<String> records = new ArrayList<>();
    for (Problem p : problems) {
      records.add(p.id() + "\n" + p.question() + "\n" + p.referenceSolution() + "\n" + p.answer());
    }
    return digestStrings(records);
  }

  private static String digestStrings(List<String> texts) {
    MessageDigest sha = sha256();
    for (String text : texts) {
      sha.update(text.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
