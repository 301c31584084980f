package io.cmws.cli.bench;

import static io.cmws.cli.bench.BenchFrames.ASSIGN;
import static io.cmws.cli.bench.BenchFrames.AUTHED;
import static io.cmws.cli.bench.BenchFrames.ERROR;
import static io.cmws.cli.bench.BenchFrames.EVENT;
import static io.cmws.cli.bench.BenchFrames.REGISTERED;
import static io.cmws.cli.bench.BenchFrames.RESULT;
import static io.cmws.cli.bench.BenchFrames.SUBSCRIBED;
import static io.cmws.cli.bench.BenchFrames.TASK_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cmws bench soak}: a long mixed run, then a look at whether the hub gave back what it took.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A bounded soak: steady subscribers, a publisher, a worker and a submitter, while connections"
          + " come and go all the time.",
      "Before and after, the hub's open connections, threads, open files and heap after a full GC are read from"
          + " its admin endpoint (loopback only) and reported side by side: growth there means a leak."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws bench soak --duration 5m",
      "  cmws bench soak --duration 30s --churn 50 --rate 500 --json"
    })
public final class SoakBench extends BenchBase implements Callable<Integer> {
  private static final String TASK_TYPE = "bench:soak";

  @Option(
      names = {"-s", "--subscribers"},
      paramLabel = "N",
      defaultValue = "20",
      description = "Steady subscribers (default ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--churn",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Connections opened (auth, subscribe) and closed again per second (default ${DEFAULT-VALUE}).")
  int churn;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "200",
      description = "Events published per second (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      defaultValue = "50",
      description = "Tasks submitted per second (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Run the traffic this long before taking the 'start' figures, so that bounded buffers (channel"
              + " history, finished tasks kept for inspection) are full and only a leak can still grow (default ${DEFAULT-VALUE}).")
  Duration warmup;

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong churned = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    HubProbe probe = HubProbe.of(adminUrl, url());
    startLoops();
    List<WsConnection> steady = new ArrayList<>();
    try {
      CountDownLatch ready = new CountDownLatch(subscribers + 3);
      for (int i = 0; i < subscribers; i++) {
        steady.add(loop(i).connect(url(i), subscriber(ready, true)));
      }
      WsConnection publisher = loop(0).connect(url(), authed(ready));
      WsConnection submitter = loop(1).connect(url(), authed(ready));
      steady.add(publisher);
      steady.add(submitter);
      WsConnection worker = loop(2).connect(url(), worker(ready));
      steady.add(worker);
      await(
          ready, Duration.ofSeconds(30), () -> "the steady clients did not get ready within 30 s");
      if (!warmup.isZero()) {
        progress("warming up for " + warmup.toSeconds() + " s");
        soak(warmup, publisher, submitter, worker);
      }
      Optional<JsonNode> start = probe.afterGc();
      if (start.isEmpty()) {
        throw CliException.connection(
            "no admin endpoint at "
                + probe.admin()
                + " (needed for the before/after figures;"
                + " give --admin-url, and run the bench on the hub's machine)");
      }
      progress("start: " + summary(start.get()) + "; soaking for " + duration.toSeconds() + " s");

      long begin = System.nanoTime();
      published.set(0);
      delivered.set(0);
      churned.set(0);
      soak(duration, publisher, submitter, worker);
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (completed.get() + errors.get() < submitted.get() && System.nanoTime() < drainUntil) {
        Thread.sleep(20);
      }
      // the churned connections are closing: wait until the hub holds only the steady ones again
      Optional<JsonNode> finish = probe.afterGc();
      int steadyCount = start.get().path("connections").asInt();
      while (finish.isPresent()
          && finish.get().path("connections").asInt() > steadyCount
          && System.nanoTime() < drainUntil) {
        Thread.sleep(200);
        finish = probe.afterGc();
      }
      if (finish.isEmpty()) {
        throw CliException.connection("the admin endpoint stopped answering during the soak");
      }
      progress("end: " + summary(finish.get()));
      ObjectNode report =
          Json.object()
              .put("workload", "soak")
              .put("url", urls())
              .put("durationS", Math.round((System.nanoTime() - begin) / 1e7) / 100.0)
              .put("subscribers", subscribers)
              .put("published", published.get())
              .put("delivered", delivered.get())
              .put("tasksSubmitted", submitted.get())
              .put("tasksCompleted", completed.get())
              .put("connectionsChurned", churned.get())
              .put("errors", errors.get())
              .put("steadyLost", lost.get());
      report.set("start", figures(start.get()));
      report.set("end", figures(finish.get()));
      report.put(
          "heapGrowthBytes",
          finish.get().path("usedBytes").asLong() - start.get().path("usedBytes").asLong());
      report.put(
          "threadGrowth",
          finish.get().path("threads").asInt() - start.get().path("threads").asInt());
      report.put("connectionGrowth", finish.get().path("connections").asInt() - steadyCount);
      if (start.get().has("openFiles")) {
        report.put(
            "openFileGrowth",
            finish.get().path("openFiles").asLong() - start.get().path("openFiles").asLong());
      }
      report(report);
      return ExitCode.OK;
    } finally {
      steady.forEach(WsConnection::close);
      closeLoops();
    }
  }

  /** Runs the mixed traffic for {@code length}. */
  private void soak(
      Duration length, WsConnection publisher, WsConnection submitter, WsConnection worker)
      throws InterruptedException {
    long begin = System.nanoTime();
    long end = begin + length.toNanos();
    long nextReport = begin + TimeUnit.SECONDS.toNanos(10);
    double publishDebt = 0;
    double taskDebt = 0;
    double churnDebt = 0;
    long last = begin;
    int churnIndex = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(10);
      long now = System.nanoTime();
      double seconds = (now - last) / 1e9;
      last = now;
      for (publishDebt += rate * seconds; publishDebt >= 1; publishDebt--) {
        publisher.send(
            "{\"type\":\"publish\",\"channel\":\"soak:x\",\"data\":{\"n\":"
                + published.incrementAndGet()
                + "}}");
      }
      for (taskDebt += tasks * seconds; taskDebt >= 1; taskDebt--) {
        submitter.send(
            "{\"type\":\"task:submit\",\"taskType\":\""
                + TASK_TYPE
                + "\",\"watch\":true,\"payload\":"
                + submitted.incrementAndGet()
                + "}");
      }
      for (churnDebt += churn * seconds; churnDebt >= 1; churnDebt--) {
        loop(churnIndex++).connect(url(churnIndex), subscriber(null, false));
      }
      if (now > nextReport) {
        nextReport += TimeUnit.SECONDS.toNanos(10);
        worker.send(
            "{\"type\":\"heartbeat\",\"currentTasks\":[]}"); // workers prove liveness themselves
        progress(
            String.format(
                Locale.ROOT,
                "%d s: %d published, %d delivered, %d tasks done, %d connections churned",
                (now - begin) / 1_000_000_000L,
                published.get(),
                delivered.get(),
                completed.get(),
                churned.get()));
      }
    }
  }

  private static ObjectNode figures(JsonNode probe) {
    ObjectNode figures =
        Json.object()
            .put("connections", probe.path("connections").asInt())
            .put("threads", probe.path("threads").asInt())
            .put("heapAfterGcBytes", probe.path("usedBytes").asLong());
    if (probe.has("openFiles")) {
      figures.put("openFiles", probe.path("openFiles").asLong());
    }
    return figures;
  }

  private static String summary(JsonNode probe) {
    return probe.path("connections").asInt()
        + " connections, "
        + probe.path("threads").asInt()
        + " threads, "
        + (probe.has("openFiles") ? probe.path("openFiles").asLong() + " open files, " : "")
        + probe.path("usedBytes").asLong() / 1024
        + " KiB heap after GC";
  }

  /**
   * A subscriber: steady ones stay and count events; churned ones close as soon as they are
   * subscribed.
   */
  private WsConnection.Listener subscriber(CountDownLatch ready, boolean stays) {
    return new Authenticating() {
      @Override
      boolean onFrame(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, EVENT)) {
          delivered.incrementAndGet();
        } else if (Bytes.startsWith(payload, AUTHED)) {
          connection.send("{\"type\":\"subscribe\",\"channels\":[\"soak:*\"]}");
        } else if (Bytes.startsWith(payload, SUBSCRIBED)) {
          if (stays) {
            ready.countDown();
          } else {
            churned.incrementAndGet();
            connection.close();
          }
        } else if (Bytes.startsWith(payload, ERROR)) {
          errors.incrementAndGet();
        } else {
          return false;
        }
        return true;
      }

      @Override
      public void onClose(WsConnection connection, String why) {
        if (stays) {
          lost.incrementAndGet();
        }
      }
    };
  }

  /** The publisher's and the submitter's connection: authenticated, counting results and errors. */
  private WsConnection.Listener authed(CountDownLatch ready) {
    return new Authenticating() {
      @Override
      boolean onFrame(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, AUTHED)) {
          ready.countDown();
        } else if (Bytes.startsWith(payload, RESULT)) {
          completed.incrementAndGet();
        } else if (Bytes.startsWith(payload, ERROR)) {
          errors.incrementAndGet();
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

  private WsConnection.Listener worker(CountDownLatch ready) {
    return new WsConnection.Listener() {
      @Override
      public void onOpen(WsConnection connection) {
        connection.send(
            "{\"type\":\"register\",\"capabilities\":[\""
                + TASK_TYPE
                + "\"],\"metadata\":{\"concurrency\":16}}");
      }

      @Override
      public void onText(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, ASSIGN)) {
          connection.send(
              "{\"type\":\"task:complete\",\"taskId\":\""
                  + Bytes.string(payload, TASK_ID)
                  + "\",\"result\":true}");
        } else if (Bytes.startsWith(payload, REGISTERED)) {
          ready.countDown();
        }
      }

      @Override
      public void onClose(WsConnection connection, String why) {
        lost.incrementAndGet();
      }
    };
  }
}
