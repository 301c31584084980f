package io.cmws.hub;

import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How connections come into the hub: a WebSocket on {@code /ws} (greeted, and it must authenticate
 * in time), one on {@code /ws/hub} (a hub speaks first and must register in time), the legacy SSE
 * stream (no handshake), and in-process connections: the admin API's questions and a federated
 * link's listeners. Called from any thread.
 */
final class Entrances {
  private final Hub hub;
  private final HubConfig config;
  private final String version;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final ConnectionRegistry registry;
  private final Admission admission;
  private final ChannelRouter router;
  private final HubMetrics metrics;

  Entrances(
      Hub hub,
      HubConfig config,
      String version,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime,
      ConnectionRegistry registry,
      Admission admission,
      ChannelRouter router,
      HubMetrics metrics) {
    this.hub = hub;
    this.config = config;
    this.version = version;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.registry = registry;
    this.admission = admission;
    this.router = router;
    this.metrics = metrics;
  }

  /** Registers a new connection and greets it with {@code connection:pending}. */
  Connection open(FrameSink sink, RemotePeer peer) {
    Connection connection = registry.create(peer, sink, nanoTime.getAsLong());
    metrics.connectionOpened();
    if (!admission.admit(connection)) {
      return connection;
    }
    connection.send(
        new ServerFrame.ConnectionPending(
            connection.id(),
            config.access().requiresAuth(peer.loopback()),
            Hub.SERVER_NAME,
            version,
            Hub.PROTOCOL_VERSION));
    connection.authTimer(
        scheduler.schedule(
            () -> expireUnauthenticated(connection),
            config.preAuthTimeout().toNanos(),
            TimeUnit.NANOSECONDS));
    return connection;
  }

  /**
   * Registers a connection on {@code /ws/hub}: claude-mem's federation endpoint, where a hub speaks
   * first ({@code auth} or {@code hub:register}) and must register within the pre-auth timeout.
   */
  Connection openFederation(FrameSink sink, RemotePeer peer) {
    Connection connection = registry.create(peer, sink, nanoTime.getAsLong());
    connection.endpoint(Endpoint.FEDERATION);
    metrics.connectionOpened();
    if (admission.admit(connection)) {
      connection.authTimer(
          scheduler.schedule(
              () -> {
                if (connection.pool() == null) {
                  metrics.error("auth_timeout");
                  connection.close(CloseCodes.UNAUTHORIZED, "Authentication timeout");
                }
              },
              config.preAuthTimeout().toNanos(),
              TimeUnit.NANOSECONDS));
    }
    return connection;
  }

  /** Registers a connection that needs no handshake (the legacy SSE stream), subscribed to all. */
  Connection openLegacyStream(FrameSink sink, RemotePeer peer, Set<Permission> permissions) {
    Connection connection = registry.create(peer, sink, nanoTime.getAsLong());
    metrics.connectionOpened();
    connection.cancelAuthTimer();
    connection.authenticate(ClientType.LEGACY_SSE, registry.legacyStreamId(), permissions, null);
    router.subscribe(connection, List.of(ChannelNames.WILDCARD));
    return connection;
  }

  /**
   * Asks the hub as a client holding {@code permissions} would, on an in-process connection: the
   * reply to {@code request} as JSON text (an {@code error} frame when refused). For the admin
   * endpoint's JSON API, which so answers exactly what the frame answers.
   */
  String ask(ClientFrame request, Set<Permission> permissions, Duration timeout)
      throws InterruptedException, TimeoutException {
    ReplySink sink = new ReplySink();
    Connection connection =
        registry.create(new RemotePeer("internal", true, null), sink, nanoTime.getAsLong());
    connection.authenticate(
        ClientType.BROWSER, registry.nextId(ClientType.BROWSER), permissions, null);
    try {
      hub.receive(connection, Json.write(request));
      return sink.await(timeout);
    } finally {
      hub.closed(connection, CloseCodes.NORMAL, "answered");
    }
  }

  /**
   * Hands every event on {@code patterns} to {@code listener} (on the publishing thread; it must
   * not block) until the returned handle is closed: how a federated link forwards events.
   */
  AutoCloseable listen(List<String> patterns, Consumer<EventMessage> listener) {
    ChannelRouter.validatePatterns(patterns);
    Connection connection =
        registry.create(
            new RemotePeer("internal", true, null),
            new ListenerSink(listener),
            nanoTime.getAsLong());
    connection.authenticate(
        ClientType.HUB, registry.nextId(ClientType.HUB), Set.of(Permission.SUBSCRIBE), null);
    router.subscribe(connection, patterns);
    return () -> hub.closed(connection, CloseCodes.NORMAL, "listener closed");
  }

  private void expireUnauthenticated(Connection connection) {
    if (!connection.isAuthenticated()) {
      metrics.error("auth_timeout");
      connection.close(CloseCodes.UNAUTHORIZED, "Authentication timeout");
    }
  }
}
