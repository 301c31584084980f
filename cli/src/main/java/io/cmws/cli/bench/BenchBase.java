package io.cmws.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every workload shares: the hub, the run length, NIO loops, progress and the report. */
abstract class BenchBase {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to measure (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--admin-url",
      paramLabel = "URL",
      description = "The hub's admin endpoint for memory figures (default: WebSocket port + 2).")
  URI adminUrl;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress on stderr.")
  boolean quiet;

  final List<WsLoop> loops = new ArrayList<>();

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void progress(String message) {
    if (!quiet) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("bench: " + message);
      err.flush();
    }
  }

  /** Lets the running workload warm up, then calls {@code reset} to forget what it counted. */
  void warmUp(Duration warmup, Runnable reset) throws InterruptedException {
    if (warmup.isZero() || warmup.isNegative()) {
      return;
    }
    progress("warming up for " + warmup.toMillis() + " ms");
    Thread.sleep(warmup.toMillis());
    reset.run();
  }

  /** One selector thread per core for the bench's connections. */
  void startLoops() throws IOException {
    int count =
        Integer.getInteger(
            "cmws.bench.loops",
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    for (int i = 0; i < count; i++) {
      loops.add(new WsLoop("cmws-bench-" + i));
    }
  }

  WsLoop loop(int i) {
    return loops.get(i % loops.size());
  }

  void closeLoops() {
    loops.forEach(WsLoop::close);
  }

  URI url() {
    return connection.url();
  }

  /**
   * With several {@code --url}s, connection {@code i} goes to hub {@code i mod n}: load spread over
   * the hubs.
   */
  URI url(int i) {
    List<URI> all = connection.hubs().all();
    return all.get(Math.floorMod(i, all.size()));
  }

  /** The hubs as the report names them. */
  String urls() {
    return connection.hubs().all().stream().map(URI::toString).collect(Collectors.joining(","));
  }

  String authFrame() {
    String token = connection.token();
    return token == null || token.isEmpty()
        ? "{\"type\":\"auth\",\"clientType\":\"browser\"}"
        : "{\"type\":\"auth\",\"clientType\":\"browser\",\"token\":\"" + token + "\"}";
  }

  /**
   * A connection that authenticates as soon as it opens and answers the hub's pings, so that long
   * runs stay connected. Subclasses handle the frames they know in {@link #onFrame}.
   */
  abstract class Authenticating implements WsConnection.Listener {
    @Override
    public void onOpen(WsConnection connection) {
      connection.send(authFrame());
    }

    @Override
    public final void onText(WsConnection connection, ByteBuffer payload) {
      // pings are rare: look for one only in frames nobody else knew
      if (!onFrame(connection, payload) && BenchFrames.isPing(payload)) {
        connection.send("{\"type\":\"pong\"}");
      }
    }

    /**
     * Handles {@code payload} (valid only during the call); false when it is none of this
     * connection's frames.
     */
    abstract boolean onFrame(WsConnection connection, ByteBuffer payload);
  }

  static void await(CountDownLatch latch, Duration timeout, Supplier<String> what)
      throws InterruptedException {
    if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw CliException.timeout(what.get());
    }
  }

  /** Prints a report: JSON, or aligned "key value" lines. */
  void report(ObjectNode report) {
    if (json) {
      out().println(Json.write(report));
    } else {
      report
          .properties()
          .forEach(
              entry ->
                  out()
                      .printf(
                          Locale.ROOT,
                          "%-26s %s%n",
                          entry.getKey(),
                          entry.getValue().isValueNode()
                              ? entry.getValue().asText()
                              : Json.write(entry.getValue())));
    }
    out().flush();
  }

  static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : Math.round(count * 1e9 / nanos * 10) / 10.0;
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }
}
