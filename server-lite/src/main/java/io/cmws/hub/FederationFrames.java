package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.ChannelPublisher;
import io.cmws.tasks.PoolIdentity;
import io.cmws.tasks.PoolReport;
import io.cmws.tasks.TaskDispatcher;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation frame family: hubs join as worker pools, report their health, and report on the
 * tasks they were given. On {@code /ws/hub} it speaks claude-mem's {@code hub:*} protocol exactly
 * (reference-protocol §6.2: {@code auth}, its replies and its close codes); on {@code /ws} the same
 * frames come from a client of type {@code hub} holding {@code federate}. Frames arrive on the
 * connection's transport thread; dispatcher work runs on the task lane.
 */
final class FederationFrames {
  private static final Logger LOG = LoggerFactory.getLogger(FederationFrames.class);

  /** What claude-mem's standalone hub says when no worker of its own can take a task. */
  static final String NO_WORKER = "No worker available";

  private final AccessPolicy access;
  private final TaskDispatcher dispatcher;
  private final TaskLane lane;
  private final ChannelPublisher events;
  private final HubMetrics metrics;
  private final LongSupplier nanoTime;
  private final Map<String, PoolPeer> pools = new ConcurrentHashMap<>();

  FederationFrames(
      AccessPolicy access,
      TaskDispatcher dispatcher,
      TaskLane lane,
      ChannelPublisher events,
      HubMetrics metrics,
      LongSupplier nanoTime) {
    this.access = access;
    this.dispatcher = dispatcher;
    this.lane = lane;
    this.events = events;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** The frames of hubs on {@code /ws}, where a hub is one client type among others. */
  void routes(FrameRoutes unified) {
    unified.authenticated(ClientFrame.HubRegister.class, this::register);
    reports(unified);
  }

  /** Everything {@code /ws/hub} understands; other frame types get an error. */
  void federationRoutes(FrameRoutes federation) {
    federation.any(ClientFrame.Auth.class, this::auth);
    federation.any(ClientFrame.HubRegister.class, this::register);
    reports(federation);
    federation.otherwise(
        (connection, frame) -> {
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE,
              "/ws/hub speaks the hub:* protocol only; "
                  + ClientFrame.typeName(frame)
                  + " belongs on /ws");
        });
  }

  private void reports(FrameRoutes routes) {
    routes.authenticated(ClientFrame.HubHealth.class, this::health);
    routes.authenticated(ClientFrame.HubTaskComplete.class, this::complete);
    routes.authenticated(ClientFrame.HubTaskError.class, this::error);
    routes.authenticated(ClientFrame.HubTaskProgress.class, this::progress);
    routes.authenticated(ClientFrame.HubShutdown.class, this::shutdown);
  }

  /**
   * {@code auth} on {@code /ws/hub}: a token holding {@code federate}, or loopback without tokens.
   */
  private void auth(Connection connection, ClientFrame.Auth auth) {
    if (connection.isAuthenticated()) {
      metrics.error("auth_failed");
      connection.close(CloseCodes.HUB_UNEXPECTED_AUTH, "Unexpected auth message");
      return;
    }
    AccessPolicy.Decision decision =
        access.authenticate(ClientType.HUB, auth.token(), connection.peer().loopback(), false);
    if (decision instanceof AccessPolicy.Decision.Granted granted
        && granted.permissions().contains(Permission.FEDERATE)) {
      connection.authenticate(
          ClientType.HUB, connection.id(), granted.permissions(), granted.tokenName());
      connection.seen(nanoTime.getAsLong());
      connection.send(new ServerFrame.HubAuthSuccess());
      return;
    }
    String reason =
        decision instanceof AccessPolicy.Decision.Denied denied
            ? denied.reason()
            : "this token does not hold federate";
    metrics.error("auth_failed");
    connection.send(new ServerFrame.HubAuthFailed(reason));
    connection.close(CloseCodes.HUB_INVALID_TOKEN, AccessPolicy.INVALID_TOKEN);
  }

  private void register(Connection connection, ClientFrame.HubRegister register) {
    if (!mayRegister(connection)) {
      return;
    }
    if (connection.pool() != null) {
      throw new ProtocolException(
          ErrorCode.ALREADY_AUTHENTICATED,
          "already registered as hub " + connection.pool().name() + " on this connection");
    }
    String name = register.name().trim();
    if (name.isEmpty() || name.length() > 128) {
      throw new ProtocolException(ErrorCode.BAD_FRAME, "a hub name must be 1-128 characters");
    }
    String hubId = UUID.randomUUID().toString();
    PoolPeer pool = pools.computeIfAbsent(name, PoolPeer::new);
    Connection previous = pool.link();
    pool.attach(connection, hubId);
    connection.pool(pool);
    connection.cancelAuthTimer();
    connection.seen(nanoTime.getAsLong());
    if (previous != null && previous != connection) {
      LOG.info("hub {} is back on a new link; closing the old one", name);
      previous.close(CloseCodes.NORMAL, "Replaced by a newer link of hub " + name);
    }
    connection.send(
        new ServerFrame.HubRegistered(
            hubId,
            connection.endpoint() == Endpoint.UNIFIED
                ? dispatcher.federation().localName()
                : null));
    events.publish("hub:connected", Json.object().put("hubId", hubId).put("name", name));
    PoolIdentity identity =
        new PoolIdentity(
            name,
            hubId,
            register.region(),
            register.labels(),
            access.tokenPriority(connection.tokenName()),
            access.tokenWeight(connection.tokenName()));
    PoolReport report =
        new PoolReport(null, register.capabilities(), register.freeSlots(), null, null, null, null);
    lane.run(connection, register, () -> dispatcher.poolJoined(pool, identity, report));
  }

  /**
   * On {@code /ws} a hub authenticated as one; on {@code /ws/hub} a hub without {@code auth} may
   * register only on loopback with no tokens configured (4004 otherwise, as the reference).
   */
  private boolean mayRegister(Connection connection) {
    if (connection.endpoint() == Endpoint.UNIFIED) {
      if (connection.type() != ClientType.HUB) {
        throw new ProtocolException(
            ErrorCode.NOT_A_HUB,
            "hub:register is for client type hub: auth with clientType \"hub\" and a token that"
                + " holds federate");
      }
      PermissionDenied.require(connection, Permission.FEDERATE, "hub:register");
      return true;
    }
    if (!connection.isAuthenticated()) {
      if (access.hasTokens() || !connection.peer().loopback()) {
        metrics.error("auth_failed");
        connection.close(CloseCodes.HUB_AUTH_REQUIRED, "Authentication required");
        return false;
      }
      connection.authenticate(
          ClientType.HUB, connection.id(), ClientType.HUB.defaultPermissions(), null);
    }
    return true;
  }

  private void health(Connection connection, ClientFrame.HubHealth health) {
    PoolPeer pool = requirePool(connection, health);
    connection.seen(nanoTime.getAsLong());
    connection.send(new ServerFrame.HubHeartbeatAck());
    PoolReport report =
        new PoolReport(
            health.status(),
            health.capabilities(),
            health.freeSlots(),
            health.connectedWorkers(),
            health.activeWorkers(),
            health.avgLatencyMs(),
            health.running());
    lane.run(connection, health, () -> dispatcher.poolReport(pool, report));
  }

  private void complete(Connection connection, ClientFrame.HubTaskComplete complete) {
    PoolPeer pool = requirePool(connection, complete);
    lane.run(
        connection,
        complete,
        () ->
            dispatcher.complete(
                pool,
                complete.taskId(),
                complete.attempt(),
                complete.result(),
                complete.workerId()));
  }

  /** "No worker available" (retryable) costs no attempt: the task goes to another pool. */
  private void error(Connection connection, ClientFrame.HubTaskError error) {
    PoolPeer pool = requirePool(connection, error);
    boolean retryable = error.retryable() == null || error.retryable();
    if (retryable && error.error().startsWith(NO_WORKER)) {
      lane.run(connection, error, () -> dispatcher.declined(pool, error.taskId()));
      return;
    }
    lane.run(
        connection,
        error,
        () ->
            dispatcher.fail(
                pool, error.taskId(), error.attempt(), error.error(), retryable, error.workerId()));
  }

  private void progress(Connection connection, ClientFrame.HubTaskProgress progress) {
    PoolPeer pool = requirePool(connection, progress);
    lane.run(
        connection,
        progress,
        () ->
            dispatcher.progress(
                pool,
                progress.taskId(),
                progress.attempt(),
                progress.progress(),
                progress.message()));
  }

  private void shutdown(Connection connection, ClientFrame.HubShutdown shutdown) {
    requirePool(connection, shutdown);
    connection.close(CloseCodes.NORMAL, "Hub shutdown");
  }

  private static PoolPeer requirePool(Connection connection, ClientFrame frame) {
    PoolPeer pool = connection.pool();
    if (pool == null) {
      throw new ProtocolException(
          ErrorCode.NOT_A_HUB, ClientFrame.typeName(frame) + " before hub:register");
    }
    return pool;
  }

  /** The link closed: the hub keeps its tasks until their leases run out, or until it is back. */
  void closed(Connection connection) {
    PoolPeer pool = connection.pool();
    if (pool != null && pool.detach(connection)) {
      events.publish(
          "hub:disconnected", Json.object().put("hubId", pool.hubId()).put("name", pool.name()));
      lane.execute("hub gone", () -> dispatcher.poolLeft(pool));
    }
  }

  /** Before the hub stops: {@code backend:shutdown} to every hub on {@code /ws/hub} (§3.6). */
  void stopping(Collection<Connection> connections) {
    for (Connection connection : connections) {
      if (connection.endpoint() == Endpoint.FEDERATION && connection.isAuthenticated()) {
        connection.send(new ServerFrame.BackendShutdown());
        connection.close(CloseCodes.GOING_AWAY, "Backend shutdown");
      }
    }
  }

  /** The hubs known now, for {@code cmws hubs} and the metrics. */
  List<PoolPeer> peers() {
    return List.copyOf(pools.values());
  }
}
