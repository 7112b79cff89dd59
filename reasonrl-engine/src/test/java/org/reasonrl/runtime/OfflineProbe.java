package org.reasonrl.runtime;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a fresh JVM by {@link OfflineStartTest}: records every URL connection the JVM attempts
 * (Java routes each through the default {@link ProxySelector}) and sends them to a closed port,
 * then starts the engine and computes. Prints one line per attempted URL and a final verdict.
 */
public final class OfflineProbe {

  public static void main(String[] args) {
    List<URI> attempted = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        attempted.add(uri);
        return List.of(new Proxy(Proxy.Type.HTTP, new java.net.InetSocketAddress("127.0.0.1", 9)));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException error) {}
    });
    System.out.println("offline-before-start=" + System.getProperty("ai.djl.offline"));
    RuntimeInfo info = EngineRuntime.start(RuntimeOptions.defaults());
    float sum;
    try (NDManager manager = NDManager.newBaseManager(EngineRuntime.device())) {
      sum = manager.arange(1f, 11f).sum().getFloat();
    }
    for (URI uri : attempted) {
      System.out.println("attempted-url=" + uri);
    }
    System.out.println("engine=" + info.engineName() + " " + info.engineVersion());
    System.out.println("offline=" + info.offline());
    System.out.println("sum=" + sum);
  }

  private OfflineProbe() {}
}
