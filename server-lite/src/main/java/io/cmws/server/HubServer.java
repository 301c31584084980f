package io.cmws.server;

import io.cmws.federation.UpstreamLink;
import io.cmws.hub.Hub;
import io.cmws.hub.HubConfig;
import io.cmws.hub.HubStorage;
import io.cmws.redis.RedisStorage;
import io.cmws.store.SqliteStorage;
import io.cmws.transport.WsEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running hub: its storage, the WebSocket endpoint and the admin HTTP endpoint. {@link #start}
 * returns once both listen, so {@link #port()} is the real port even for port 0. {@link #close()}
 * closes every client with 1001 "Server shutting down".
 */
public final class HubServer implements AutoCloseable {
  private final ServerConfig config;
  private final ScheduledExecutorService timers;
  private final HubStorage storage;
  private final Hub hub;
  private final WsEndpoint endpoint;
  private final Optional<AdminHttpServer> admin;
  private final Optional<UpstreamLink> upstream;

  private HubServer(
      ServerConfig config,
      ScheduledExecutorService timers,
      HubStorage storage,
      Hub hub,
      WsEndpoint endpoint,
      Optional<AdminHttpServer> admin,
      Optional<UpstreamLink> upstream) {
    this.config = config;
    this.timers = timers;
    this.storage = storage;
    this.hub = hub;
    this.endpoint = endpoint;
    this.admin = admin;
    this.upstream = upstream;
  }

  public static HubServer start(ServerConfig config, String version) throws IOException {
    Clock clock = Clock.systemUTC();
    Deque<AutoCloseable> started = new ArrayDeque<>(); // closed in reverse if a later step fails
    try {
      ScheduledExecutorService timers = newTimers();
      started.push(timers::shutdownNow);
      HubStorage storage = openStorage(config, clock);
      started.push(storage);
      HubConfig hubConfig =
          config
              .hub()
              .withBrowsers(config.hub().browsers().listeningOnLoopback(isLoopback(config.host())));
      Hub hub = new Hub(hubConfig, clock, System::nanoTime, timers, version, storage);
      started.push(hub);
      WsEndpoint endpoint = WsEndpoint.start(endpointSettings(config), hub, timers);
      started.push(endpoint);
      Optional<AdminHttpServer> admin = Optional.empty();
      if (config.adminPort() != ServerConfig.ADMIN_DISABLED) {
        String wsUrl =
            (config.tls() == null ? "ws://" : "wss://")
                + connectHost(config.host())
                + ":"
                + endpoint.port()
                + config.path();
        admin = Optional.of(AdminHttpServer.start(config, hub, version, wsUrl));
        started.push(admin.get()::stop);
      }
      Optional<UpstreamLink> upstream = Optional.empty();
      if (config.upstream() != null) {
        upstream =
            Optional.of(
                UpstreamLink.start(
                    config.upstream(),
                    hub,
                    hubConfig.federation().policy(),
                    hubConfig.tasks().defaults(),
                    clock));
        started.push(upstream.get());
      }
      long retention = config.retention().toMillis();
      timers.scheduleWithFixedDelay(
          () -> storage.pruneFinishedBefore(clock.millis() - retention), 1, 1, TimeUnit.MINUTES);
      return new HubServer(config, timers, storage, hub, endpoint, admin, upstream);
    } catch (IOException | RuntimeException e) {
      started.forEach(HubServer::closeQuietly);
      throw e;
    }
  }

  /** The one place that picks where a hub keeps things: Redis, SQLite, or memory. */
  private static HubStorage openStorage(ServerConfig config, Clock clock) throws IOException {
    HubConfig hub = config.hub();
    if (config.redis() != null) {
      return RedisStorage.connect(config.redis(), hub.tasks(), hub.historySize());
    }
    if (config.store() != null) {
      return SqliteStorage.open(config.store(), hub.tasks(), hub.historySize(), clock.millis());
    }
    return HubStorage.inMemory(hub.tasks());
  }

  private static WsEndpoint.Settings endpointSettings(ServerConfig config) throws IOException {
    return new WsEndpoint.Settings(
        new InetSocketAddress(config.host(), config.port()),
        config.path(),
        config.maxFrameBytes(),
        config.outbox(),
        config.tls() == null ? null : config.tls().sslContext(),
        config.handshakes(),
        config.hub().limits().limitLoopback());
  }

  private static ScheduledExecutorService newTimers() {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "cmws-hub-timer");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Whether {@code host} is a loopback address; a name that does not resolve is not. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public Hub hub() {
    return hub;
  }

  public int port() {
    return endpoint.port();
  }

  /** The URL clients connect to; a wildcard bind address is reported as loopback. */
  public URI url() {
    return URI.create(
        (config.tls() == null ? "ws://" : "wss://") + connectHost() + ":" + port() + config.path());
  }

  public Optional<URI> adminUrl() {
    return admin.map(a -> URI.create("http://" + connectHost() + ":" + a.port()));
  }

  private String connectHost() {
    return connectHost(config.host());
  }

  /** The address clients on this machine connect to for a hub listening on {@code host}. */
  private static String connectHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The link to a parent first, then the hub (its clients get 1001 after what was queued for them),
   * the endpoints, the timers, and last the storage, so every change the clients caused is kept.
   */
  @Override
  public void close() {
    upstream.ifPresent(UpstreamLink::close); // says goodbye to the parent first
    hub.close();
    endpoint.close();
    admin.ifPresent(AdminHttpServer::stop);
    timers.shutdownNow();
    storage.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // the start already failed; that failure is what the caller hears about
    }
  }
}
