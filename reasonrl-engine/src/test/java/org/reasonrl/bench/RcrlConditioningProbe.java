package org.reasonrl.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reasonrl.algo.StepLabels;
import org.reasonrl.algo.ReturnConditionedRl;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.data.Datasets;
import org.reasonrl.data.Problem;
import org.reasonrl.data.PromptFormat;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.Checkpoint;
import org.reasonrl.run.Json;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.text.ConditionTokens;
import org.reasonrl.text.Tokenizer;
import org.reasonrl.train.SupervisedBatches;
import org.reasonrl.train.TokenizedExample;

/**
 * Whether an RCRL policy reads its condition tokens: the mean NLL per solution token of its
 * labelled solutions with their own labels and with every label flipped ([GOOD] ↔ [BAD]), for
 * correct and for incorrect solutions. A policy that ignores the tokens scores both the same.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.RcrlConditioningProbe -Dexec.args="&lt;rcrl run&gt; ..."
 * </pre>
 * The runs must be on the embedded benchmark's train split (the default).
 */
public final class RcrlConditioningProbe {

  private static final int SOLUTIONS = 1000;

  private RcrlConditioningProbe() {}

  public static void main(String[] args) throws IOException {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    List<Problem> questions = Datasets.load(DatasetSpec.synthetic("train")).problems();
    for (String arg : args) {
      Path run = Path.of(arg);
      List<ReturnConditionedRl.LabelledSolution> labelled = new ArrayList<>();
      for (String line : Files.readAllLines(run.resolve(ReturnConditionedRl.LABELLED_FILE))) {
        if (labelled.size() < SOLUTIONS) {
          labelled.add(Json.mapper().readValue(line, ReturnConditionedRl.LabelledSolution.class));
        }
      }
      try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device());
          Tokenizer tokenizer = Tokenizer.load(run.resolve("model").resolve("tokenizer.json"))) {
        CausalLm model = Checkpoint.load(run.resolve("model"), manager);
        ConditionTokens ids = ConditionTokens.of(tokenizer);
        for (boolean correct : new boolean[] {true, false}) {
          List<TokenizedExample> own = new ArrayList<>();
          List<TokenizedExample> flipped = new ArrayList<>();
          for (ReturnConditionedRl.LabelledSolution s : labelled) {
            if (s.correct() != correct) {
              continue;
            }
            int[] prompt = PromptFormat.encodePrompt(tokenizer,
                PromptFormat.zeroShot().prompt(questions.get(s.question()).question()));
            own.add(StepLabels.conditioned(prompt, s.tokens(), s.stepEnds(), s.good(),
                ids.good(), ids.bad()));
            flipped.add(StepLabels.conditioned(prompt, s.tokens(), s.stepEnds(), s.good(),
                ids.bad(), ids.good()));
          }
          int pad = Math.max(tokenizer.padId(), 0);
          double a = SupervisedBatches.meanLoss(model, own, 64, pad, manager);
          double b = SupervisedBatches.meanLoss(model, flipped, 64, pad, manager);
          System.out.printf(Locale.ROOT, "%s %s solutions (%d): NLL/token own labels %.4f,"
                  + " flipped %.4f, difference %.4f%n", run.getFileName(),
              correct ? "correct" : "incorrect", own.size(), a, b, b - a);
        }
      }
    }
  }
}
