package io.cmws.cli.bench;

import static io.cmws.cli.bench.BenchFrames.AUTHED;
import static io.cmws.cli.bench.BenchFrames.EVENT;
import static io.cmws.cli.bench.BenchFrames.PUBLISHED;
import static io.cmws.cli.bench.BenchFrames.STAMP;
import static io.cmws.cli.bench.BenchFrames.SUBSCRIBED;
import static io.cmws.cli.bench.BenchFrames.TIMESTAMP;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.Json;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cmws bench pubsub}: fan-out throughput and publish-to-deliver latency. */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fan-out: SUBSCRIBERS on a wildcard pattern, PUBLISHERS publishing",
      "events of SIZE bytes. Reports events published and delivered per second",
      "and publish-to-deliver latency percentiles. With --no-publish it only",
      "subscribes and measures what others publish (works against claude-mem).",
      "With several --url hubs (sharing Redis) subscribers are spread over them",
      "and each publisher uses the hub after its first subscriber's: fan-out",
      "across hubs."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws bench pubsub --subscribers 1000 --duration 10s",
      "  cmws bench pubsub --subscribers 100 --rate 2000 --size 128 --json",
      "  cmws bench pubsub --url ws://h1:37777/ws,ws://h2:37777/ws --rate 250"
    })
public final class PubSubBench extends BenchBase implements Callable<Integer> {
  private static final int WINDOW = 1000;

  @Option(
      names = {"-s", "--subscribers"},
      paramLabel = "N",
      defaultValue = "100",
      description = "Subscribers (default ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--patterns",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "Patterns per subscriber: one matching wildcard plus K-1 that never match (default ${DEFAULT-VALUE}).")
  int patterns;

  @Option(
      names = {"-p", "--publishers"},
      paramLabel = "N",
      defaultValue = "1",
      description = "Publishers (default ${DEFAULT-VALUE}).")
  int publishers;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      defaultValue = "128",
      description = "Event data size (default ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "0",
      description = "Events per second in all (default 0: as fast as the hub acknowledges).")
  int rate;

  @Option(
      names = "--channel",
      paramLabel = "PREFIX",
      defaultValue = "bench",
      description = "Channel prefix (default ${DEFAULT-VALUE}).")
  String channel;

  @Option(
      names = "--no-publish",
      description =
          "Only subscribe; measure events others publish (latency from their timestamps).")
  boolean noPublish;

  @CommandLine.Mixin Warmup warmup;

  private final Latency latency = new Latency();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();

  /** Events sent before this {@link System#nanoTime} belong to the warm-up. */
  private volatile long measureFrom;

  private volatile boolean measuring;

  @Override
  public Integer call() throws Exception {
    startLoops();
    try {
      long connectStart = System.nanoTime();
      CountDownLatch ready = new CountDownLatch(subscribers);
      List<WsConnection> subs = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        subs.add(loop(i).connect(url(i), subscriber(i, ready)));
      }
      await(
          ready,
          Duration.ofSeconds(60),
          () ->
              (subscribers - ready.getCount())
                  + " of "
                  + subscribers
                  + " subscribers ready after 60 s");
      long connectNanos = System.nanoTime() - connectStart;
      progress(subscribers + " subscribers ready in " + connectNanos / 1_000_000 + " ms");

      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = noPublish ? List.of() : startPublishers(stop);
      warmUp(
          warmup.duration,
          () -> {
            latency.reset();
            delivered.set(0);
          });
      HubProbe probe = HubProbe.of(adminUrl, url());
      Optional<Long> cpuBefore = probe.metric(HubProbe.CPU);
      long start = System.nanoTime();
      measureFrom = start; // from now on events count, by the time they were sent
      measuring = true;
      long end = start + duration.toNanos();
      long lastDelivered = 0;
      long lastPublished = 0;
      while (System.nanoTime() < end) {
        Thread.sleep(1000);
        long d = delivered.get();
        long p = published.get();
        progress(
            String.format(
                Locale.ROOT,
                "%s published, %s delivered",
                rate(p - lastPublished),
                rate(d - lastDelivered)));
        lastDelivered = d;
        lastPublished = p;
      }
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(5000);
      }
      long elapsed = System.nanoTime() - start;
      long expected = published.get() * subscribers;
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!noPublish && delivered.get() < expected && System.nanoTime() < drainUntil) {
        Thread.sleep(20);
      }
      ObjectNode report =
          Json.object()
              .put("workload", "pubsub")
              .put("url", urls())
              .put("subscribers", subscribers)
              .put("patternsPerSubscriber", patterns)
              .put("publishers", noPublish ? 0 : publishers)
              .put("sizeBytes", size)
              .put("durationS", Math.round(elapsed / 1e7) / 100.0)
              .put("published", published.get())
              .put("publishedPerSec", perSecond(published.get(), elapsed))
              .put("delivered", delivered.get())
              .put("deliveredPerSec", perSecond(delivered.get(), elapsed))
              .put("undelivered", Math.max(0, expected - delivered.get()))
              .put("subscribersLost", lost.get())
              .put("connectPerSec", perSecond(subscribers, connectNanos));
      report.set("latencyMs", latency.toJson());
      Optional<Long> cpuAfter = probe.metric(HubProbe.CPU);
      if (cpuBefore.isPresent() && cpuAfter.isPresent() && delivered.get() > 0) {
        // the hub's whole CPU (reading, fan-out, writing, GC, JIT) over what it delivered
        report.put(
            "hubCpuMicrosPerDelivery",
            Math.round((cpuAfter.get() - cpuBefore.get()) / 10.0 / delivered.get()) / 100.0);
      }
      probe
          .metric("cmws_jvm_heap_used_bytes")
          .ifPresent(heap -> report.put("hubHeapUsedBytes", heap));
      probe
          .metric("cmws_slow_consumers_total{policy=\"disconnect\"}")
          .ifPresent(n -> report.put("hubSlowConsumers", n));
      report(report);
      subs.forEach(WsConnection::close);
      return ExitCode.OK;
    } finally {
      closeLoops();
    }
  }

  private WsConnection.Listener subscriber(int index, CountDownLatch ready) {
    StringBuilder frame =
        new StringBuilder("{\"type\":\"subscribe\",\"channels\":[\"")
            .append(channel)
            .append(":*\"");
    for (int k = 1; k < patterns; k++) {
      frame
          .append(",\"")
          .append(channel)
          .append("-idle:")
          .append(index)
          .append(':')
          .append(k)
          .append('"');
    }
    String subscribe = frame.append("]}").toString();
    return new Authenticating() {
      @Override
      boolean onFrame(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, EVENT)) {
          if (noPublish) {
            delivered.incrementAndGet();
            long sent = Bytes.number(payload, TIMESTAMP);
            if (sent > 0) {
              latency.record(
                  TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - sent)));
            }
          } else {
            long sent = Bytes.number(payload, STAMP);
            if (measuring && sent - measureFrom >= 0) {
              delivered.incrementAndGet();
              latency.record(System.nanoTime() - sent);
            }
          }
        } else if (Bytes.startsWith(payload, AUTHED)) {
          connection.send(subscribe);
        } else if (Bytes.startsWith(payload, SUBSCRIBED)) {
          ready.countDown();
        } else {
          return false;
        }
        return true;
      }

      @Override
      public void onClose(WsConnection connection, String why) {
        lost.incrementAndGet();
      }
    };
  }

  private List<Thread> startPublishers(AtomicBoolean stop) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    String pad = "x".repeat(Math.max(0, size - 30));
    long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) * publishers / rate : 0;
    for (int i = 0; i < publishers; i++) {
      Semaphore window = new Semaphore(WINDOW);
      CountDownLatch authed = new CountDownLatch(1);
      WsConnection connection =
          loop(i)
              .connect(
                  url(i + 1),
                  new Authenticating() {
                    @Override
                    boolean onFrame(WsConnection c, ByteBuffer payload) {
                      if (Bytes.startsWith(payload, PUBLISHED)) {
                        window.release();
                      } else if (Bytes.startsWith(payload, AUTHED)) {
                        authed.countDown();
                      } else {
                        return false;
                      }
                      return true;
                    }
                  });
      await(authed, Duration.ofSeconds(10), () -> "a publisher could not authenticate");
      String target = channel + ":p" + i;
      Thread thread =
          new Thread(
              () -> {
                long next = System.nanoTime();
                while (!stop.get()) {
                  if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                  }
                  try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                      continue;
                    }
                  } catch (InterruptedException e) {
                    return;
                  }
                  long now = System.nanoTime();
                  connection.send(
                      "{\"type\":\"publish\",\"channel\":\""
                          + target
                          + "\",\"data\":{\"t\":"
                          + now
                          + ",\"p\":\""
                          + pad
                          + "\"}}");
                  if (measuring && now - measureFrom >= 0) {
                    published.incrementAndGet();
                  }
                }
              },
              "cmws-bench-publisher-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    return threads;
  }
}
