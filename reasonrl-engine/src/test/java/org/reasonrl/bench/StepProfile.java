package org.reasonrl.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.reasonrl.model.CausalLm;
import org.reasonrl.model.KvCache;
import org.reasonrl.model.LlamaConfig;
import org.reasonrl.runtime.EngineRuntime;
import org.reasonrl.runtime.RuntimeOptions;
import org.reasonrl.runtime.SeedStream;
import org.reasonrl.runtime.ThreadAutograd;
import org.reasonrl.train.AdamW;
import org.reasonrl.train.Gradients;

/**
 * Writes libtorch profiler traces (chrome trace JSON, through DJL's {@code JniUtils.startProfile})
 * of one embedded training step and of decode steps at batch 1, to see which native ops run and
 * how much of a step's wall time they account for. Args: output directory, optional "loop" to
 * run steps in a loop without the profiler (for JFR).
 */
public final class StepProfile {

  private StepProfile() {}

  public static void main(String[] args) {
    EngineRuntime.start(new RuntimeOptions("cpu", 1, null, 1));
    String out = args.length > 0 ? args[0] : "/tmp";
    boolean loop = args.length > 1 && args[1].equals("loop");
    LlamaConfig config = LlamaConfig.of(128, 344, 4, 4, 2, 100, 256, false);
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      CausalLm model = CausalLm.create(config).initializeRandom(manager, SeedStream.of(1, "init"));
      AdamW adamW = new AdamW(AdamW.Config.defaults(), model.getParameters(), manager);
      int rounds = loop ? Integer.getInteger("rounds", 40) : 3;
      for (int i = 0; i < rounds; i++) {
        boolean profile = !loop && i == rounds - 1;
        long t0 = System.nanoTime();
        if (profile) {
          JniUtils.startProfile(false, Boolean.getBoolean("shapes"), false);
        }
        trainStep(model, adamW, manager, i);
        if (profile) {
          JniUtils.stopProfile(out + "/train.json");
        }
        long t1 = System.nanoTime();
        if (profile) {
          JniUtils.startProfile(false, Boolean.getBoolean("shapes"), false);
        }
        long[] decodeNanos = decode(model, manager, loop ? 64 : 16);
        if (profile) {
          JniUtils.stopProfile(out + "/decode.json");
        }
        long t2 = System.nanoTime();
        System.out.printf("round %d: train step %.1f ms, decode %.1f ms (%d steps)%n", i,
            (t1 - t0) / 1e6, (t2 - t1) / 1e6, decodeNanos[0]);
      }
    }
  }

  static void trainStep(CausalLm model, AdamW adam, NDManager manager, int seed) {
    try (NDManager step = manager.newSubManager()) {
      Random random = new Random(seed);
      int[] ids = new int[16 * 129];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = random.nextInt(model.config().vocabSize());
      }
      NDArray all = step.create(ids, new Shape(16, 129));
      NDArray input = all.get(new NDIndex(":, :-1"));
      NDArray targets = all.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
      NDArray mask = step.ones(new Shape(16, 128));
      try (ThreadAutograd autograd = ThreadAutograd.record()) {
        NDArray logits = model.forward(new ParameterStore(step, false), input, mask, null, true)
            .logits();
        NDArray loss = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg();
        autograd.backward(loss);
      }
      adam.update(1e-4);
      Gradients.zero(model.getParameters());
      model.namedParameters().values().iterator().next().getArray().toFloatArray();
    }
  }

  static long[] decode(CausalLm model, NDManager manager, int steps) {
    try (NDManager session = manager.newSubManager()) {
      KvCache cache = model.newCache(session, 1, 16 + steps + 1);
      int[] prompt = new int[16];
      long last = 0;
      NDArray input = session.create(prompt, new Shape(1, 16));
      for (int t = 0; t <= steps; t++) {
        try (NDManager step = session.newSubManager()) {
          int length = 16 + t;
          NDArray in = t == 0 ? input : step.create(new int[] {(int) last}, new Shape(1, 1));
          NDArray mask = step.ones(new Shape(1, length), DataType.INT32);
          NDArray logits = model.forward(new ParameterStore(step, false), in, mask, cache, false,
              false).logits();
          last = logits.get(new NDIndex(":, -1, :")).argMax(-1).toLongArray()[0];
        }
      }
      return new long[] {steps};
    }
  }
}
