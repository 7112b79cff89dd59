package org.reasonrl.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.run.RunDirectory;
import org.reasonrl.runtime.EngineRuntime;

/**
 * Kills a forked RCRL run with SIGKILL while it labels (one chunk of continuations on disk) and
 * again while it fine-tunes (a checkpoint on disk), reruns it, and checks that it ends with the
 * labels, weights and evaluations of an uninterrupted run.
 */
class RcrlResumeTest {

  @TempDir
  Path temp;

  @Test
  void killedWhileLabellingAndWhileTrainingResumesToTheSameResult() throws Exception {
    Path fixture = temp.resolve("fixture");
    // 600 questions: three labelling chunks of distinct prefixes.
    RcrlFixtures.write(fixture, 600, true);
    Path straight = temp.resolve("straight");
    Path interrupted = temp.resolve("interrupted");
    ForkedGoals.runToCompletion(temp.resolve("straight.log"), RcrlFixture.class,
        fixture.toString(), straight.toString());

    Path labels = interrupted.resolve(StepLabelling.CHUNK_DIR);
    ForkedGoals.killWhen(() -> Files.isRegularFile(labels.resolve("chunk-00000.json")),
        temp.resolve("victim-1.log"), RcrlFixture.class, fixture.toString(),
        interrupted.toString());
    assertFalse(Files.exists(interrupted.resolve(ReturnConditionedRl.LABELLING_FILE)),
        "the first victim finished labelling before it was killed");
    Path train = interrupted.resolve(ReturnConditionedRl.TRAIN_DIR);
    ForkedGoals.killWhen(() -> hasCheckpoint(train), temp.resolve("victim-2.log"),
        RcrlFixture.class, fixture.toString(), interrupted.toString());
    assertFalse(Files.exists(interrupted.resolve(RunDirectory.RESULT_FILE)), "the victim finished");
    String resumed = ForkedGoals.runToCompletion(temp.resolve("resumed.log"), RcrlFixture.class,
        fixture.toString(), interrupted.toString());
    assertTrue(resumed.contains("rcrl steps 12"), resumed);

    for (String file : new String[] {ReturnConditionedRl.SOLUTIONS_FILE,
        ReturnConditionedRl.LABELLED_FILE, ReturnConditionedRl.LABELLING_FILE}) {
      assertEquals(Files.readString(straight.resolve(file)),
          Files.readString(interrupted.resolve(file)), file);
    }
    for (String eval : new String[] {ReturnConditionedRl.EVAL_GOOD_DIR,
        ReturnConditionedRl.EVAL_BAD_DIR}) {
      assertEquals(Json.mapper().readTree(straight.resolve(eval).resolve("eval.json").toFile())
              .path("result"),
          Json.mapper().readTree(interrupted.resolve(eval).resolve("eval.json").toFile())
              .path("result"), eval);
    }
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      Map<String, Parameter> a = Checkpoint.load(straight.resolve("model"), manager)
          .namedParameters();
      Map<String, Parameter> b = Checkpoint.load(interrupted.resolve("model"), manager)
          .namedParameters();
      a.forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
          b.get(name).getArray().toFloatArray(), name));
    }
  }

  private static boolean hasCheckpoint(Path train) {
    if (!Files.isDirectory(train)) {
      return false;
    }
    try (Stream<Path> files = Files.list(train)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint-"));
    } catch (java.io.IOException raced) {
      return false;
    }
  }
}
