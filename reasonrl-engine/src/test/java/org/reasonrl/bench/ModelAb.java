package org.reasonrl.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A/B of two builds of the engine in one JVM, unit by unit (one training step, one forward, 32
 * decoded tokens at batch 1 and 64), alternating which goes first, so both see the same machine
 * load; prints medians of tokens/s by wall and by thread CPU time, the median per-round ratio
 * B/A with its quartiles, and NDArrays per step. Each build is a checkout whose
 * reasonrl-engine/target/classes and test-classes are compiled; its org.reasonrl classes load
 * child-first, the engine (DJL, libtorch) is shared.
 *
 * <pre>
 * ./mvnw -q -pl reasonrl-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.reasonrl.bench.ModelAb -Dexec.args="ROUNDS SIZE DIR_A DIR_B [PARTS]"
 * </pre>
 */
public final class ModelAb {
  private ModelAb() {}

  static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) { super(urls, parent); }
    @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.reasonrl.")) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) c = findClass(name);
          if (resolve) resolveClass(c);
          return c;
        }
      }
      return super.loadClass(name, resolve);
    }
  }
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    String size = args[1];
    String[] parts = (args.length > 4 ? args[4] : "train,forward,decode1,decode64").split(",");
    Method[] m = new Method[2];
    for (int i = 0; i < 2; i++) {
      Path dir = Path.of(args[2 + i], "reasonrl-engine", "target");
      ClassLoader cl = new ChildFirst(new URL[] {dir.resolve("classes").toUri().toURL(),
          dir.resolve("test-classes").toUri().toURL()}, ModelAb.class.getClassLoader());
      m[i] = cl.loadClass("org.reasonrl.bench.ModelBenchmark").getDeclaredMethod("abUnit", String.class, String.class);
      m[i].setAccessible(true);
    }
    Map<String, List<double[]>[]> res = new LinkedHashMap<>();
    for (String p : parts) res.put(p, new List[] {new ArrayList<>(), new ArrayList<>()});
    int warm = 3;
    for (int r = -warm; r < rounds; r++) {
      for (String p : parts) {
        for (int i = 0; i < 2; i++) {
          int k = ((r + warm) % 2 == 0) ? i : 1 - i;
          double[] x = (double[]) m[k].invoke(null, size, p);
          if (r >= 0) res.get(p)[k].add(x);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%s, %d paired rounds, load average at end %.1f%n", size, rounds,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String p : parts) {
      List<double[]> a = res.get(p)[0], b = res.get(p)[1];
      for (int j = 0; j < 2; j++) {
        double[] ra = new double[rounds], rb = new double[rounds], q = new double[rounds];
        for (int r = 0; r < rounds; r++) { ra[r] = a.get(r)[j]; rb[r] = b.get(r)[j]; q[r] = rb[r] / ra[r]; }
        double[] qs = q.clone(); Arrays.sort(qs);
        System.out.printf(Locale.ROOT, "%-9s %-4s tok/s  A %,9.0f  B %,9.0f   B/A median %.3f  (quartiles %.3f-%.3f)%n",
            p, j == 0 ? "wall" : "cpu", med(ra), med(rb), med(q), qs[rounds / 4], qs[(3 * rounds) / 4]);
      }
      System.out.printf(Locale.ROOT, "%-9s arrays/step A %.0f  B %.0f%n", p, a.get(0)[2], b.get(0)[2]);
    }
  }
  static double med(double[] v) { double[] s = v.clone(); Arrays.sort(s); int n = s.length; return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; }
}
