package io.cmws.cli.bench;

import static io.cmws.cli.bench.BenchFrames.AUTHED;
import static io.cmws.cli.bench.BenchFrames.SUBSCRIBED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.Json;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cmws bench connections}: connection setup rate and hub memory per idle subscriber. */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Opens CONNECTIONS subscribers (connect, auth, subscribe), holds them",
      "idle, and reports the setup rate and, when the admin endpoint is",
      "reachable on loopback, the hub's heap per connection after a GC."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  cmws bench connections --connections 10000 --hold 5s"})
public final class ConnectionBench extends BenchBase implements Callable<Integer> {

  @Option(
      names = {"-n", "--connections"},
      paramLabel = "N",
      defaultValue = "1000",
      description = "Connections (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "256",
      description = "Handshakes at once (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--hold",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long to keep them open (default ${DEFAULT-VALUE}).")
  Duration hold;

  private final Latency setup = new Latency();
  private final AtomicLong lost = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    HubProbe probe = HubProbe.of(adminUrl, url());
    Optional<Long> before = probe.liveHeap();
    Optional<Long> rssBefore = probe.metric(HubProbe.RESIDENT);
    startLoops();
    try {
      Semaphore handshakes = new Semaphore(inFlight);
      CountDownLatch ready = new CountDownLatch(connections);
      List<WsConnection> open = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        handshakes.acquire();
        long began = System.nanoTime();
        open.add(
            loop(i)
                .connect(
                    url(),
                    new Authenticating() {
                      @Override
                      boolean onFrame(WsConnection connection, ByteBuffer payload) {
                        if (Bytes.startsWith(payload, AUTHED)) {
                          connection.send(
                              "{\"type\":\"subscribe\",\"channels\":[\"bench:idle:*\"]}");
                        } else if (Bytes.startsWith(payload, SUBSCRIBED)) {
                          setup.record(System.nanoTime() - began);
                          handshakes.release();
                          ready.countDown();
                        } else {
                          return false;
                        }
                        return true;
                      }

                      @Override
                      public void onClose(WsConnection connection, String why) {
                        lost.incrementAndGet();
                        handshakes.release();
                      }
                    }));
        if (i > 0 && i % 1000 == 0) {
          progress(i + " connections opening");
        }
      }
      if (!ready.await(120, TimeUnit.SECONDS)) {
        progress(
            (connections - ready.getCount()) + " of " + connections + " connected after 120 s");
      }
      long elapsed = System.nanoTime() - start;
      long connected = connections - ready.getCount();
      progress(
          connected
              + " subscribers connected in "
              + elapsed / 1_000_000
              + " ms; holding "
              + hold.toSeconds()
              + " s");
      Thread.sleep(hold.toMillis());
      Optional<Long> rssAfter = probe.metric(HubProbe.RESIDENT); // before the GC /debug/heap runs
      Optional<Long> after = probe.liveHeap();
      ObjectNode report =
          Json.object()
              .put("workload", "connections")
              .put("url", url().toString())
              .put("connections", connections)
              .put("connected", connected)
              .put("lost", lost.get())
              .put("setupS", Math.round(elapsed / 1e7) / 100.0)
              .put("connectPerSec", perSecond(connected, elapsed));
      report.set("setupLatencyMs", setup.toJson());
      if (before.isPresent() && after.isPresent() && connected > 0) {
        report
            .put("hubHeapBeforeBytes", before.get())
            .put("hubHeapAfterBytes", after.get())
            .put("hubHeapPerConnectionBytes", (after.get() - before.get()) / connected);
      }
      if (rssBefore.isPresent() && rssAfter.isPresent() && connected > 0) {
        report
            .put("hubRssBeforeBytes", rssBefore.get())
            .put("hubRssAfterBytes", rssAfter.get())
            .put("hubRssPerConnectionBytes", (rssAfter.get() - rssBefore.get()) / connected);
      }
      report(report);
      open.forEach(WsConnection::close);
      return ExitCode.OK;
    } finally {
      closeLoops();
    }
  }
}
