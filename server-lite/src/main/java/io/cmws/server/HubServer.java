package io.cmws.server;

import io.cmws.hub.Hub;
import io.cmws.hub.HubConfig;
import io.cmws.hub.HubStorage;
import io.cmws.redis.RedisEventBus;
import io.cmws.redis.RedisTaskQueue;
import io.cmws.redis.RedisTaskSignals;
import io.cmws.store.SqliteStore;
import io.cmws.tasks.InMemoryTaskQueue;
import io.cmws.tasks.TaskJournal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running hub: the WebSocket endpoint plus the admin HTTP endpoint. {@link #start} returns once
 * both listen, so {@link #port()} is the real port even for port 0. {@link #close()} closes every
 * client with 1001 "Server shutting down".
 */
public final class HubServer implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HubServer.class);
  private static final long START_TIMEOUT_SECONDS = 10;
  private static final int CLOSE_GRACE_MILLIS = 2000;

  /**
   * Bounds how long a frame can be stuck by Java-WebSocket's write race; see WriteDemandSweeper.
   */
  private static final long SWEEP_MILLIS = 5;

  private final ServerConfig config;
  private final ScheduledExecutorService scheduler;
  private final Hub hub;
  private final WsTransport transport;
  private final AdminHttpServer admin;
  private final SqliteStore store;

  private HubServer(
      ServerConfig config,
      ScheduledExecutorService scheduler,
      Hub hub,
      WsTransport transport,
      AdminHttpServer admin,
      SqliteStore store) {
    this.config = config;
    this.scheduler = scheduler;
    this.hub = hub;
    this.transport = transport;
    this.admin = admin;
    this.store = store;
  }

  public static HubServer start(ServerConfig config, String version) throws IOException {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cmws-hub-timer");
              thread.setDaemon(true);
              return thread;
            });
    Clock clock = Clock.systemUTC();
    InMemoryTaskQueue queue =
        new InMemoryTaskQueue(
            config.hub().tasks().defaults(),
            config.hub().tasks().maxWaiting(),
            config.hub().tasks().maxFinished());
    SqliteStore store = null;
    RedisTaskQueue redisQueue = null;
    HubStorage storage;
    if (config.redis() != null) {
      RedisEventBus bus;
      try {
        bus = RedisEventBus.connect(config.redis(), config.hub().historySize());
      } catch (RuntimeException e) {
        scheduler.shutdownNow();
        throw e;
      }
      RedisTaskQueue shared =
          RedisTaskQueue.sharing(
              bus, config.hub().tasks().defaults(), config.hub().tasks().maxWaiting());
      redisQueue = shared;
      storage =
          new HubStorage(
              shared,
              TaskJournal.NONE,
              Hub.freshEpoch(),
              List.of(),
              event -> {},
              () -> null,
              bus,
              new RedisTaskSignals(bus));
    } else if (config.store() == null) {
      storage =
          new HubStorage(
              queue,
              TaskJournal.NONE,
              Hub.freshEpoch(),
              List.of(),
              event -> {},
              () -> null,
              null,
              io.cmws.tasks.TaskSignals.NONE);
    } else {
      try {
        store = SqliteStore.open(config.store(), config.hub().historySize(), Hub.freshEpoch());
        queue.journal(store);
        int requeued = queue.restore(store.loadTasks(), clock.millis());
        if (requeued > 0) {
          LOG.info("requeued {} tasks that were running when the hub stopped", requeued);
        }
        storage =
            new HubStorage(
                queue,
                store,
                store.epoch(),
                store.loadChannels(),
                store::appendEvent,
                store::overloaded,
                null,
                io.cmws.tasks.TaskSignals.NONE);
      } catch (IOException e) {
        if (store != null) {
          store.close();
        }
        scheduler.shutdownNow();
        throw e;
      }
    }
    HubConfig hubConfig =
        config
            .hub()
            .withBrowsers(config.hub().browsers().listeningOnLoopback(isLoopback(config.host())));
    Hub hub = new Hub(hubConfig, clock, System::nanoTime, scheduler, version, storage);
    HandshakeTracker handshakes =
        new HandshakeTracker(
            config.handshakes(),
            hubConfig.limits().limitLoopback(),
            hub.metrics(),
            System::nanoTime);
    WsTransport transport;
    try {
      transport =
          new WsTransport(
              new InetSocketAddress(config.host(), config.port()),
              hub,
              config.path(),
              config.maxFrameBytes(),
              config.outbox(),
              config.tls() == null ? null : config.tls().sslContext(),
              handshakes);
    } catch (IOException e) {
      hub.close();
      scheduler.shutdownNow();
      if (store != null) {
        store.close();
      }
      throw e;
    }
    AdminHttpServer admin = null;
    try {
      transport.start();
      awaitStart(transport, config);
      if (config.adminPort() != ServerConfig.ADMIN_DISABLED) {
        admin =
            AdminHttpServer.start(
                config.host(),
                config.adminPort(),
                hub,
                config.hub().access(),
                config.hub().heartbeatInterval(),
                version);
      }
    } catch (IOException | RuntimeException e) {
      stopQuietly(transport);
      hub.close();
      scheduler.shutdownNow();
      if (store != null) {
        store.close();
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    scheduler.scheduleWithFixedDelay(
        transport.sweeper()::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    long handshakeSweep =
        Math.max(50, Math.min(1000, config.handshakes().timeout().toMillis() / 4));
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            handshakes.closeOverdue();
          } catch (RuntimeException e) {
            LOG.error("closing overdue handshakes failed", e); // and again at the next sweep
          }
        },
        handshakeSweep,
        handshakeSweep,
        TimeUnit.MILLISECONDS);
    SqliteStore durable = store;
    RedisTaskQueue shared = redisQueue;
    scheduler.scheduleWithFixedDelay(
        () -> {
          long cutoff = clock.millis() - config.retention().toMillis();
          queue.prune(cutoff);
          if (durable != null) {
            durable.pruneFinishedBefore(cutoff);
          }
          if (shared != null) {
            try {
              shared.prune(cutoff);
            } catch (RuntimeException e) {
              LOG.warn("pruning finished tasks in Redis failed: {}", e.getMessage());
            }
          }
        },
        1,
        1,
        TimeUnit.MINUTES);
    return new HubServer(config, scheduler, hub, transport, admin, store);
  }

  /** Whether {@code host} is a loopback address; a name that does not resolve is not. */
  static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void awaitStart(WsTransport transport, ServerConfig config) throws IOException {
    try {
      transport.started().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "WebSocket server did not start within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
  }

  public Hub hub() {
    return hub;
  }

  public int port() {
    return transport.getPort();
  }

  /** The URL clients connect to; a wildcard bind address is reported as loopback. */
  public URI url() {
    return URI.create(
        (config.tls() == null ? "ws://" : "wss://") + connectHost() + ":" + port() + config.path());
  }

  public Optional<URI> adminUrl() {
    return Optional.ofNullable(admin)
        .map(a -> URI.create("http://" + connectHost() + ":" + a.port()));
  }

  private String connectHost() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  @Override
  public void close() {
    hub.close();
    stopQuietly(transport);
    if (admin != null) {
      admin.stop();
    }
    scheduler.shutdownNow();
    if (store != null) {
      store.close(); // after the transport: every change it caused is committed
    }
  }

  private static void stopQuietly(WsTransport transport) {
    try {
      transport.stop(CLOSE_GRACE_MILLIS, io.cmws.protocol.CloseCodes.SHUTTING_DOWN_REASON);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
