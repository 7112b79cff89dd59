package org.reasonrl.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BufferAssembly} on four hand-worked responses in two groups of two. */
class BufferAssemblyTest {

  private static final int[] PROMPT = {1, 2};

  private static BufferAssembly.Response response(int group, float... rewards) {
    return new BufferAssembly.Response(10 + group, group, PROMPT, new int[rewards.length],
        rewards, rewards[rewards.length - 1] > 0);
  }

  private static final List<BufferAssembly.Response> RESPONSES = List.of(
      response(0, 0, 1), response(0, 0, 1), response(1, 0, 1), response(1, 0, 0));

  /** log p = −1 everywhere; log q = −1 except −2 on the last token of response 3. */
  private static PolicyScoring.Scored scored() {
    float[][] logp = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}};
    float[][] logq = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -2}};
    float[][] values = {{}, {}, {}, {}};
    return new PolicyScoring.Scored(logp, logq, values);
  }

  @Test
  void dynamicSamplingKeepsOnlyTheGroupWhoseRewardsDiffer() {
    BufferAssembly assembly = new BufferAssembly(
        PolicyGradientMethods.named("grpo", MethodOptions.defaults(2)), KlEstimator.K1, true,
        true);
    BufferAssembly.Assembled out = assembly.assemble(RESPONSES, scored(), 0.5);
    // Group 0 scored 1, 1 (uniform: dropped). Group 1: response 2 scores 1; response 3 scores
    // 0 − 0.5·(−1 − (−2)) = −0.5 after the KL penalty on its last token.
    assertEquals(2, out.samples().size());
    assertEquals(11, out.samples().get(0).question());
    float a = out.samples().get(0).advantages()[0];
    assertEquals(-a, out.samples().get(1).advantages()[0], 1e-6);
    // Scores 1 and −0.5: mean 0.25, deviations ±0.75, unbiased std √(2·0.75²) (torch.std's).
    assertEquals(0.75 / Math.sqrt(2 * 0.75 * 0.75), a, 1e-6);
    var stats = out.statistics().values();
    assertEquals(0.75, stats.get("reward/mean"), 1e-12);
    assertEquals(0.75, stats.get("reward/accuracy"), 1e-12);
    assertEquals(2, stats.get("response/length"), 1e-12);
    assertEquals(1.0 / 8, stats.get("kl/reference"), 1e-12);
    assertEquals(2, stats.get("samples/trained"));
    assertEquals(1.0 / 4, out.sequenceKl(), 1e-12);
  }

  @Test
  void withoutDynamicSamplingEveryResponseIsKeptAndTheKlCanStayOutOfTheReward() {
    BufferAssembly assembly = new BufferAssembly(
        PolicyGradientMethods.named("rloo", MethodOptions.defaults(2)), KlEstimator.K1, false,
        false);
    BufferAssembly.Assembled out = assembly.assemble(RESPONSES, scored(), 0.5);
    assertEquals(4, out.samples().size());
    // RLOO: each minus its partner's score; group 0 ties, group 1 is +1 / −1.
    assertArrayEquals(new float[] {0, 0}, out.samples().get(0).advantages());
    assertArrayEquals(new float[] {1, 1}, out.samples().get(2).advantages());
    assertArrayEquals(new float[] {-1, -1}, out.samples().get(3).advantages());
  }
}
