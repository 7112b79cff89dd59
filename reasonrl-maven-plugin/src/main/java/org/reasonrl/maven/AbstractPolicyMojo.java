package org.reasonrl.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;
import org.reasonrl.data.DatasetSpec;

/** Goals that read a policy checkpoint and a dataset of problems. */
public abstract class AbstractPolicyMojo extends AbstractRunMojo {

  /**
   * The policy, a Hugging Face checkpoint directory with its tokenizer.json: the model
   * {@code sft} fine-tunes, π_0 of {@code ei}, the sampler and backbone of {@code orm}, the
   * starting policy and KL reference of {@code ppo}, the model {@code eval} evaluates.
   */
  @Parameter(property = "reasonrl.checkpoint", required = true)
  private File checkpoint;

  /** {@code synthetic} (the embedded benchmark), {@code gsm8k} or {@code svamp}. */
  @Parameter(property = "reasonrl.dataset", defaultValue = "synthetic")
  private String dataset;

  /**
   * The dataset's file, or a directory holding {@code <split>.jsonl} / {@code SVAMP.json}
   * (required for gsm8k and svamp; for synthetic, a directory the benchmark was written to).
   */
  @Parameter(property = "reasonrl.datasetPath")
  private File datasetPath;

  /** Stop at the first malformed data record (true) or skip and count them (false). */
  @Parameter(property = "reasonrl.failOnBadRecord", defaultValue = "true")
  private boolean failOnBadRecord;

  protected Path checkpoint() {
    return checkpoint.toPath();
  }

  /** The dataset the user named, at {@code split}. */
  protected DatasetSpec dataset(String split) {
    return new DatasetSpec(dataset, path(datasetPath), split, failOnBadRecord);
  }
}
