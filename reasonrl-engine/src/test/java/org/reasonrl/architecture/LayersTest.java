package org.reasonrl.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's layers point one way, as data flows: data and text → model → rollout → reward →
 * eval; the training core (loop, optimiser, losses) sees only the model and run files; the jobs
 * ({@code algo}, on the shared lifecycle of {@code job}) compose everything below; the report
 * reads their results. A lower layer never imports a higher one, and no packages form a cycle.
 */
class LayersTest {

  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.reasonrl");
  }

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("runtime").definedBy("org.reasonrl.runtime..")
        .layer("text").definedBy("org.reasonrl.text..")
        .layer("data").definedBy("org.reasonrl.data..")
        .layer("run").definedBy("org.reasonrl.run..")
        .layer("model").definedBy("org.reasonrl.model..")
        .layer("rollout").definedBy("org.reasonrl.rollout..")
        .layer("reward").definedBy("org.reasonrl.reward..")
        .layer("eval").definedBy("org.reasonrl.eval..")
        .layer("train").definedBy("org.reasonrl.train..")
        .layer("job").definedBy("org.reasonrl.job..")
        .layer("algo").definedBy("org.reasonrl.algo..")
        .layer("report").definedBy("org.reasonrl.report..")
        .whereLayer("runtime").mayNotAccessAnyLayer()
        .whereLayer("text").mayOnlyAccessLayers("runtime")
        .whereLayer("data").mayOnlyAccessLayers("text", "runtime")
        .whereLayer("run").mayOnlyAccessLayers("runtime")
        .whereLayer("model").mayOnlyAccessLayers("text", "runtime")
        .whereLayer("rollout").mayOnlyAccessLayers("model", "data", "text", "runtime")
        .whereLayer("reward").mayOnlyAccessLayers("rollout", "model", "data", "text", "runtime")
        .whereLayer("eval").mayOnlyAccessLayers("reward", "rollout", "model", "data", "text",
            "run", "runtime")
        .whereLayer("train").mayOnlyAccessLayers("model", "data", "text", "run", "runtime")
        .whereLayer("job").mayOnlyAccessLayers("model", "run", "runtime")
        .whereLayer("algo").mayOnlyAccessLayers("job", "train", "eval", "reward", "rollout",
            "model", "data", "text", "run", "runtime")
        .whereLayer("report").mayOnlyAccessLayers("algo", "job", "eval", "run", "runtime")
        .check(engine);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("org.reasonrl.(*)..").should().beFreeOfCycles().check(engine);
  }
}
