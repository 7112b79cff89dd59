package org.reasonrl.algo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reasonrl.algo.EvalSpec;
import org.reasonrl.algo.Evaluation;
import org.reasonrl.data.DatasetSpec;
import org.reasonrl.eval.EvalOptions;
import org.reasonrl.eval.EvalResult;
import org.reasonrl.rollout.RolloutSpec;
import org.reasonrl.run.Json;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;

/**
 * The embedded pipeline with the measured defaults, for calibration runs:
 * {@code java -Dreasonrl.threads=1 -cp ... org.reasonrl.algo.EmbeddedPipeline <work dir>}.
 * Stages: pretrain → eval of the pretrained model few-shot prompted → SFT → EI_n with its
 * compute-matched control. Every stage resumes, so a rerun skips what is done. Sizes can be
 * overridden with system properties ({@code reasonrl.pretrainSteps}, {@code reasonrl.sftSteps},
 * {@code reasonrl.eiSteps}, {@code reasonrl.eiRounds}, {@code reasonrl.eiQuestions},
 * {@code reasonrl.k}, {@code reasonrl.evalProblems}, {@code reasonrl.fewShot});
 * {@code reasonrl.pretrained=<checkpoint>} skips pretraining and starts from that model.
 */
public final class EmbeddedPipeline {

  private EmbeddedPipeline() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", Integer.getInteger("reasonrl.threads", 0),
        null, 42));
    Path work = Path.of(args[0]);
    Map<String, Double> minutes = new LinkedHashMap<>();

    long t = System.nanoTime();
    String given = System.getProperty("reasonrl.pretrained");
    Path pretrainedModel;
    if (given != null) {
      pretrainedModel = Path.of(given);
    } else {
      PretrainSpec pretrainDefaults = PretrainSpec.defaults(work.resolve("pretrain"));
      Pretrain.Result pretrained = new Pretrain(new PretrainSpec(pretrainDefaults.output(), null,
          pretrainDefaults.documents(), pretrainDefaults.optimization().withSteps(
              Long.getLong("reasonrl.pretrainSteps", pretrainDefaults.optimization().steps())),
          pretrainDefaults.seed())).run(System.out::println);
      pretrainedModel = pretrained.model();
    }
    t = stage(minutes, "pretrain", t);

    int evalProblems = Integer.getInteger("reasonrl.evalProblems", 1000);
    int fewShot = Integer.getInteger("reasonrl.fewShot", 1);
    Path promptedDir = work.resolve("eval-prompted");
    EvalResult prompted = Files.exists(promptedDir.resolve(Evaluation.RESULT_FILE))
        ? readPrompted(promptedDir)
        : new Evaluation(new EvalSpec(pretrainedModel, DatasetSpec.synthetic("test"),
            evalProblems, fewShot, null, new EvalOptions(4, 4, 0.7, 1.0, 120, 128, true, 42, 200),
            promptedDir)).run(System.out::println).result();
    t = stage(minutes, "eval-prompted", t);

    SftSpec sftDefaults = SftSpec.defaults(pretrainedModel, work.resolve("sft"));
    SftSpec sftSpec = new SftSpec(sftDefaults.checkpoint(), sftDefaults.dataset(),
        sftDefaults.output(), sftDefaults.maxTrainProblems(), sftDefaults.validationProblems(),
        sftDefaults.optimization().withSteps(Long.getLong("reasonrl.sftSteps",
            sftDefaults.optimization().steps())), sftDefaults.evalEvery(),
        sftDefaults.patience(), sftDefaults.validation(), sftDefaults.seed());
    SftSpec sftFinal = new SftSpec(sftSpec.checkpoint(), sftSpec.dataset(), sftSpec.output(),
        sftSpec.maxTrainProblems(), sftSpec.validationProblems(), sftSpec.optimization(),
        Integer.getInteger("reasonrl.sftEvalEvery", sftSpec.evalEvery()), sftSpec.patience(),
        sftSpec.validation(), sftSpec.seed());
    Sft.Result sft = new Sft(sftFinal).run(System.out::println);
    t = stage(minutes, "sft", t);

    EiSpec d = EiSpec.defaults(sft.model(), work.resolve("ei"));
    EiSpec eiSpec = new EiSpec(d.checkpoint(), d.dataset(), d.evalDataset(), d.output(),
        Integer.getInteger("reasonrl.eiRounds", d.rounds()),
        Integer.getInteger("reasonrl.eiQuestions", d.maxQuestions()),
        new RolloutSpec(Integer.getInteger("reasonrl.k", d.rollout().k()),
            d.rollout().temperature(), d.rollout().topP(), d.rollout().maxNewTokens(),
            d.rollout().batchSize()),
        d.continueTraining(), null, d.ormThreshold(),
        d.optimization().withSteps(Long.getLong("reasonrl.eiSteps", d.optimization().steps())),
        d.fineTuning(), d.control(), evalProblems, d.eval(), d.fewShot(), d.seed());
    ExpertIteration.Result ei = new ExpertIteration(eiSpec).run(System.out::println);
    stage(minutes, "ei", t);

    System.out.println("== embedded pipeline: " + work);
    System.out.println(String.format(Locale.ROOT, "pretrained, %d-shot prompted: %s", fewShot,
        Evaluation.summary(prompted)));
    System.out.println(String.format(Locale.ROOT, "SFT best validation maj@1 %.3f at step %d",
        sft.bestMaj1(), sft.bestStep()));
    System.out.println("SFT (π_0) on test: " + ei.initial());
    ei.rounds().forEach(r -> System.out.println("EI round " + r.round() + " ("
        + r.cumulativeRollouts() + " rollouts, |D|=" + r.datasetSize() + "): " + r.eval()));
    ei.controls().forEach(c -> System.out.println("control " + c.round() + " ("
        + c.fineTuneSteps() + " steps): " + c.eval()));
    minutes.forEach((stage, m) -> System.out.println(String.format(Locale.ROOT,
        "  %-14s %6.1f min", stage, m)));
  }

  private static EvalResult readPrompted(Path dir) {
    try {
      return Json.mapper().treeToValue(Json.mapper().readTree(
          dir.resolve(Evaluation.RESULT_FILE).toFile()).get("result"), EvalResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long stage(Map<String, Double> minutes, String name, long start) {
    long now = System.nanoTime();
    minutes.put(name, (now - start) / 60e9);
    return now;
  }
}
