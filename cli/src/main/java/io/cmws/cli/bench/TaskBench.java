package io.cmws.cli.bench;

import static io.cmws.cli.bench.BenchFrames.ASSIGN;
import static io.cmws.cli.bench.BenchFrames.AUTHED;
import static io.cmws.cli.bench.BenchFrames.COMPLETED;
import static io.cmws.cli.bench.BenchFrames.ERROR;
import static io.cmws.cli.bench.BenchFrames.REGISTERED;
import static io.cmws.cli.bench.BenchFrames.RESULT;
import static io.cmws.cli.bench.BenchFrames.STAMP;
import static io.cmws.cli.bench.BenchFrames.SUBMITTED;
import static io.cmws.cli.bench.BenchFrames.TASK_ID;
import static io.cmws.cli.bench.BenchFrames.WORKER_ID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.Json;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cmws bench tasks}: no-op tasks from submit to completion. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Task throughput: no-op tasks from submit to completion, through the hub",
      "and WORKERS workers of this process (each announcing CONCURRENCY slots),",
      "or through running 'cmws worker's with --external-workers. Reports tasks",
      "completed per second and submit-to-result latency percentiles."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws bench tasks --workers 1 --concurrency 32 --duration 10s",
      "  cmws bench tasks --external-workers --type echo --window 500"
    })
public final class TaskBench extends BenchBase implements Callable<Integer> {

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      defaultValue = "1",
      description = "Workers in this process (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = {"-c", "--concurrency"},
      paramLabel = "N",
      defaultValue = "32",
      description = "Slots per worker (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--window",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Tasks in flight (default ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "bench:noop",
      description = "Task type (default ${DEFAULT-VALUE}).")
  String type;

  @Option(
      names = "--external-workers",
      description = "Start no workers: use the ones connected to the hub.")
  boolean external;

  @CommandLine.Mixin Warmup warmup;

  private final Latency latency = new Latency();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    startLoops();
    try {
      List<WsConnection> connections = new ArrayList<>();
      if (!external) {
        CountDownLatch registered = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
          connections.add(loop(i + 1).connect(url(), worker(registered)));
        }
        await(registered, Duration.ofSeconds(30), () -> "workers did not register within 30 s");
      }
      Semaphore inFlight = new Semaphore(window);
      CountDownLatch authed = new CountDownLatch(1);
      WsConnection submitter = loop(0).connect(url(), submitter(inFlight, authed));
      connections.add(submitter);
      await(authed, Duration.ofSeconds(10), () -> "the submitter could not authenticate");

      AtomicBoolean stop = new AtomicBoolean();
      Thread feeder = new Thread(() -> feed(submitter, inFlight, stop), "cmws-bench-submitter");
      feeder.setDaemon(true);
      feeder.start();
      warmUp(
          warmup.duration,
          () -> {
            latency.reset();
            completed.set(0);
            submitted.set(0);
            failed.set(0);
          });
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long last = 0;
      while (System.nanoTime() < end) {
        Thread.sleep(1000);
        long now = completed.get();
        progress(rate(now - last) + " tasks completed (" + submitted.get() + " submitted)");
        last = now;
      }
      stop.set(true);
      feeder.join(5000);
      long elapsed = System.nanoTime() - start;
      long completedInRun = completed.get();
      ObjectNode report =
          Json.object()
              .put("workload", "tasks")
              .put("url", url().toString())
              .put("workers", external ? 0 : workers)
              .put("concurrency", concurrency)
              .put("window", window)
              .put("durationS", Math.round(elapsed / 1e7) / 100.0)
              .put("submitted", submitted.get())
              .put("completed", completedInRun)
              .put("completedPerSec", perSecond(completedInRun, elapsed))
              .put("failed", failed.get())
              .put("refused", refused.get());
      report.set("latencyMs", latency.toJson());
      HubProbe.of(adminUrl, url())
          .metric("cmws_jvm_heap_used_bytes")
          .ifPresent(heap -> report.put("hubHeapUsedBytes", heap));
      report(report);
      connections.forEach(WsConnection::close);
      return ExitCode.OK;
    } finally {
      closeLoops();
    }
  }

  private void feed(WsConnection submitter, Semaphore inFlight, AtomicBoolean stop) {
    while (!stop.get()) {
      try {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      submitter.send(
          "{\"type\":\"task:submit\",\"taskType\":\""
              + type
              + "\",\"payload\":{\"t\":"
              + System.nanoTime()
              + "},\"watch\":true}");
      submitted.incrementAndGet();
    }
  }

  private WsConnection.Listener submitter(Semaphore inFlight, CountDownLatch authed) {
    return new Authenticating() {
      @Override
      boolean onFrame(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, RESULT)) {
          if (Bytes.after(payload, COMPLETED) >= 0) {
            completed.incrementAndGet();
            long sent = Bytes.number(payload, STAMP);
            if (sent > 0) {
              latency.record(System.nanoTime() - sent);
            }
          } else {
            failed.incrementAndGet();
          }
          inFlight.release();
        } else if (Bytes.startsWith(payload, ERROR)) {
          refused.incrementAndGet(); // queue full or refused: that slot is free again
          inFlight.release();
        } else if (Bytes.startsWith(payload, AUTHED)) {
          authed.countDown();
        } else {
          return Bytes.startsWith(payload, SUBMITTED); // acknowledged; the result comes later
        }
        return true;
      }
    };
  }

  /** A worker that completes every task at once with its payload. */
  private WsConnection.Listener worker(CountDownLatch registered) {
    String[] workerId = new String[1];
    return new WsConnection.Listener() {
      @Override
      public void onOpen(WsConnection connection) {
        connection.send(
            "{\"type\":\"register\",\"capabilities\":[\""
                + type
                + "\"],\"metadata\":{\"agent\":\"cmws-bench\","
                + "\"concurrency\":"
                + concurrency
                + "}}");
      }

      @Override
      public void onText(WsConnection connection, ByteBuffer payload) {
        if (Bytes.startsWith(payload, ASSIGN)) {
          String taskId = Bytes.string(payload, TASK_ID);
          long t = Bytes.number(payload, STAMP);
          connection.send(
              "{\"type\":\"task:complete\",\"taskId\":\""
                  + taskId
                  + "\",\"workerId\":\""
                  + workerId[0]
                  + "\",\"result\":{\"t\":"
                  + t
                  + "}}");
        } else if (Bytes.startsWith(payload, REGISTERED)) {
          workerId[0] = Bytes.string(payload, WORKER_ID);
          registered.countDown();
        }
      }
    };
  }
}
