package io.cmws.server;

import com.sun.management.UnixOperatingSystemMXBean;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.ClientType;
import io.cmws.hub.Connection;
import io.cmws.hub.Hub;
import io.cmws.hub.RemotePeer;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint: {@code GET /health}, {@code GET /metrics} (Prometheus text), the legacy
 * claude-mem SSE stream {@code GET /api/stream} (and {@code /api/stream/events}), the viewer page
 * at {@code /} with the browser client {@code /cmws.js}, and the viewer's JSON API. Each SSE stream
 * holds one handler thread; their number is capped.
 */
final class AdminHttpServer {
  static final int MAX_STREAMS = 256;
  static final int STREAM_QUEUE = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Hub hub;
  private final AccessPolicy access;
  private final Duration keepalive;
  private final String version;
  private final long startedAtMillis = System.currentTimeMillis();
  private final Semaphore streams = new Semaphore(MAX_STREAMS);
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final WebAssets assets = WebAssets.load();
  private final ViewerApi api;

  private AdminHttpServer(
      HttpServer server,
      Hub hub,
      AccessPolicy access,
      Duration keepalive,
      String version,
      ViewerApi api) {
    this.server = server;
    this.api = api;
    this.hub = hub;
    this.access = access;
    this.keepalive = keepalive;
    this.version = version;
    this.executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "cmws-admin-http-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/health", exchange -> guarded(exchange, this::health));
    server.createContext("/metrics", exchange -> guarded(exchange, this::metrics));
    server.createContext("/api/stream", exchange -> guarded(exchange, this::stream));
    server.createContext("/debug/heap", exchange -> guarded(exchange, this::heap));
    server.createContext("/api/", exchange -> guarded(exchange, api::handle));
    server.createContext("/", exchange -> guarded(exchange, assets::serve));
  }

  /**
   * Listens on the hub's host and {@code config.adminPort()}; {@code wsUrl} is the hub's WebSocket
   * URL as the viewer should reach it.
   */
  static AdminHttpServer start(ServerConfig config, Hub hub, String version, String wsUrl)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(config.host(), config.adminPort()), 64);
    AccessPolicy access = config.hub().access();
    ViewerApi api =
        new ViewerApi(hub, access, version, config.hub().federation().policy().localName(), wsUrl);
    AdminHttpServer admin =
        new AdminHttpServer(server, hub, access, config.hub().heartbeatInterval(), version, api);
    server.start();
    return admin;
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** 200 "ok", or 503 "degraded" with the reason while publishes and submissions are refused. */
  private void health(HttpExchange exchange) throws IOException {
    String degraded = hub.unavailable();
    var body = Json.object();
    body.put("status", degraded == null ? "ok" : "degraded");
    if (degraded != null) {
      body.put("reason", degraded);
    }
    body.put("server", Hub.SERVER_NAME);
    body.put("version", version);
    body.put("uptimeMs", System.currentTimeMillis() - startedAtMillis);
    body.put("connections", hub.connections().size());
    body.put("pid", ProcessHandle.current().pid());
    respond(exchange, degraded == null ? 200 : 503, "application/json", Json.write(body) + "\n");
  }

  /** Heap in use after a full GC, for measuring memory per connection; loopback callers only. */
  private void heap(HttpExchange exchange) throws IOException {
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      respond(exchange, 403, "text/plain", "loopback only\n");
      return;
    }
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.gc();
    var body = Json.object();
    body.put("usedBytes", runtime.totalMemory() - runtime.freeMemory());
    body.put("connections", hub.connections().size());
    body.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    // sockets the hub still holds (lingering closes included): a leak of those shows here first
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      body.put("openFiles", unix.getOpenFileDescriptorCount());
    }
    respond(exchange, 200, "application/json", Json.write(body) + "\n");
  }

  private void metrics(HttpExchange exchange) throws IOException {
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", hub.metricsText());
  }

  /**
   * Reference-protocol §4.8: {@code data: {type, data, timestamp}} frames and a keepalive comment.
   */
  private void stream(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!path.equals("/api/stream") && !path.equals("/api/stream/events")) {
      respond(exchange, 404, "text/plain", "not found\n");
      return;
    }
    RemotePeer peer =
        RemotePeer.of(
            exchange.getRemoteAddress(),
            exchange.getRequestHeaders().containsKey("X-Forwarded-For"),
            exchange.getRequestHeaders().getFirst("Origin"));
    AccessPolicy.Decision decision =
        access.authenticate(
            ClientType.BROWSER, bearer(exchange), peer.loopback(), peer.browserPage());
    if (decision instanceof AccessPolicy.Decision.Denied denied) {
      respond(
          exchange, 401, "application/json", Json.write(Map.of("error", denied.reason())) + "\n");
      return;
    }
    if (!streams.tryAcquire()) {
      respond(exchange, 503, "text/plain", "too many streams\n");
      return;
    }
    try {
      serveStream(exchange, peer, ((AccessPolicy.Decision.Granted) decision));
    } finally {
      streams.release();
    }
  }

  private void serveStream(
      HttpExchange exchange, RemotePeer peer, AccessPolicy.Decision.Granted granted)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    SseSink sink = new SseSink(STREAM_QUEUE, hub.metrics());
    Connection connection = hub.openLegacyStream(sink, peer, granted.permissions());
    try (OutputStream body = exchange.getResponseBody();
        WritableByteChannel channel = Channels.newChannel(body)) {
      var connected = Json.object();
      connected.put("type", "connected");
      connected.putObject("data").put("clientId", connection.id());
      body.write(("data: " + Json.write(connected) + "\n\n").getBytes(StandardCharsets.UTF_8));
      body.flush();
      while (true) {
        ByteBuffer frame = sink.next(keepalive.toMillis());
        if (frame != null && SseSink.isEnd(frame)) {
          break;
        }
        if (frame == null) {
          body.write(":keepalive\n\n".getBytes(StandardCharsets.US_ASCII));
        } else {
          channel.write(frame);
        }
        body.flush();
      }
    } catch (IOException e) {
      LOG.debug("SSE stream {} ended: {}", connection.id(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sink.close(0, "ended");
      hub.closed(connection, 1000, "stream ended");
    }
  }

  private static String bearer(HttpExchange exchange) {
    return ViewerApi.bearer(exchange);
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void guarded(HttpExchange exchange, Handler handler) {
    try {
      String host = exchange.getRequestHeaders().getFirst("Host");
      if (!hub.allowsHost(host)) { // DNS rebinding: a page of evil.example must not read this hub
        respond(
            exchange,
            403,
            "text/plain",
            "host "
                + host
                + " is not served here; start the hub with"
                + " --allowed-host to allow it\n");
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "text/plain", "only GET\n");
        return;
      }
      handler.handle(exchange);
    } catch (IOException e) {
      LOG.debug("admin request {} failed", exchange.getRequestURI(), e);
    } catch (RuntimeException e) {
      LOG.warn("admin request {} failed", exchange.getRequestURI(), e);
    } finally {
      exchange.close();
    }
  }
}
