package io.cmws.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.FrameDecoder;
import io.cmws.protocol.Json;
import io.cmws.protocol.JsonText;
import io.cmws.protocol.ProtocolException;
import io.cmws.tasks.TaskDispatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: the life of every connection, independent of the transport. A connection opens (see
 * {@link Entrances}), its frames are decoded and handed to the handler of their family (connection,
 * pub/sub, tasks, introspection), and it closes. {@link #receive} runs on the connection's
 * transport thread, one frame at a time per connection, and never blocks. A bad frame costs its
 * sender an {@code error} frame and nothing else.
 */
public final class Hub implements AutoCloseable {
  public static final String SERVER_NAME = "cmws";
  public static final int PROTOCOL_VERSION = 1;
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final LongSupplier nanoTime;
  private final HubMetrics metrics = new HubMetrics();
  private final ErrorReplies replies = new ErrorReplies(metrics);
  private final ConnectionRegistry registry;
  private final Admission admission;
  private final ChannelRouter router;
  private final AuthHandler auth;
  private final TaskFrames tasks;
  private final IntrospectionFrames introspection;
  private final Replayer replayer;
  private final FrameRoutes routes = new FrameRoutes();
  private final FrameRoutes federationRoutes = new FrameRoutes();
  private final FederationFrames federation;
  private final EventPublishing publishing;
  private final HubStorage storage;
  private final Entrances entrances;

  private final TaskLane lane;
  private final HubTimers timers;

  /**
   * The scheduler runs timers (heartbeat, pre-auth, leases); the caller owns and shuts it down, and
   * closes the storage after the hub.
   */
  public Hub(
      HubConfig config,
      Clock clock,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      String version,
      HubStorage storage) {
    this.nanoTime = nanoTime;
    this.registry = new ConnectionRegistry(clock);
    this.admission = new Admission(config.limits(), config.browsers(), registry, metrics, nanoTime);
    this.router = ChannelRouter.restored(storage, clock, metrics, config.historySize());
    this.storage = storage;
    this.replayer = new Replayer(router, storage.epoch(), clock);
    this.entrances =
        new Entrances(
            this, config, version, scheduler, nanoTime, registry, admission, router, metrics);
    this.publishing =
        storage
            .bus()
            .map(bus -> EventPublishing.through(bus, clock))
            .orElseGet(() -> EventPublishing.local(router));
    // with a shared queue, task work may wait on Redis: never on a transport thread
    this.lane = storage.bus().isPresent() ? TaskLane.ownThread(replies) : TaskLane.inPlace(replies);
    this.auth = new AuthHandler(config.access(), registry, router, metrics, nanoTime);
    TaskDispatcher dispatcher = new TaskDispatcher(storage.queue(), this::publish, clock);
    dispatcher.limitPerSubmitter(config.limits().maxTasksPerSubmitter());
    dispatcher.federation(config.federation().policy());
    dispatcher.signals(storage.signals());
    storage.signals().listen(new RemoteTaskSignals(dispatcher, lane));
    this.tasks =
        new TaskFrames(
            dispatcher,
            config.tasks().defaults(),
            storage.journal(),
            metrics,
            auth,
            lane,
            this::publish,
            this::unavailable);
    this.federation =
        new FederationFrames(config.access(), dispatcher, lane, this::publish, metrics, nanoTime);
    this.introspection =
        new IntrospectionFrames(registry, router, metrics, dispatcher, storage, clock);
    new ConnectionFrames(auth, tasks, clock, nanoTime).routes(routes);
    new PubSubFrames(
            router,
            replayer,
            publishing,
            config.access(),
            config.limits(),
            metrics,
            replies,
            this::unavailable)
        .routes(routes);
    tasks.routes(routes);
    introspection.routes(routes);
    federation.routes(routes);
    federation.federationRoutes(federationRoutes);
    if (!routes.coversAll()) {
      throw new IllegalStateException("a client frame type has no handler");
    }
    this.timers =
        new HubTimers(
            scheduler,
            config,
            new LivenessMonitor(
                registry, metrics, config.heartbeatTimeout(), config.federation().healthTimeout()),
            nanoTime,
            dispatcher,
            lane);
    storage.bus().ifPresent(bus -> replayer.epoch(bus.start(new BusSink(router, replayer))));
  }

  /**
   * Whether a page from {@code origin} (its Origin header, or null) may connect; counts refusals.
   */
  public boolean allowsOrigin(String origin) {
    return admission.allowsOrigin(origin);
  }

  /**
   * Whether a request naming {@code host} (its Host header, or null) is answered; counts refusals.
   */
  public boolean allowsHost(String host) {
    return admission.allowsHost(host);
  }

  /** Registers a new connection and greets it with {@code connection:pending}. */
  public Connection open(FrameSink sink, RemotePeer peer) {
    return entrances.open(sink, peer);
  }

  /** Registers a connection on {@code /ws/hub}, claude-mem's federation endpoint. */
  public Connection openFederation(FrameSink sink, RemotePeer peer) {
    return entrances.openFederation(sink, peer);
  }

  /** Registers a connection that needs no handshake (the legacy SSE stream), subscribed to all. */
  public Connection openLegacyStream(FrameSink sink, RemotePeer peer, Set<Permission> permissions) {
    return entrances.openLegacyStream(sink, peer, permissions);
  }

  /** The reply to {@code request} as a client holding {@code permissions} would get it. */
  public String ask(ClientFrame request, Set<Permission> permissions, Duration timeout)
      throws InterruptedException, TimeoutException {
    return entrances.ask(request, permissions, timeout);
  }

  /** Hands every event on {@code patterns} to {@code listener} until the handle is closed. */
  public AutoCloseable listen(List<String> patterns, Consumer<EventMessage> listener) {
    return entrances.listen(patterns, listener);
  }

  /** Handles one text frame. Never throws: problems become {@code error} frames. */
  public void receive(Connection connection, String text) {
    metrics.frameReceived();
    if (!admission.withinRate(connection)) {
      return;
    }
    JsonNode node;
    try {
      node = Json.parse(text);
    } catch (JsonProcessingException e) {
      replies.send(
          connection,
          null,
          null,
          new ProtocolException(ErrorCode.BAD_JSON, FrameDecoder.INVALID_FORMAT));
      return;
    }
    String type = node != null && node.path("type").isTextual() ? node.get("type").asText() : null;
    ClientFrame frame = null;
    try {
      frame = FrameDecoder.decode(node);
      if (frame instanceof ClientFrame.Publish publish) {
        // the data goes on as the client wrote it: not written again from the tree per event
        frame = publish.withDataJson(JsonText.memberValue(text, "data"));
      }
      (connection.endpoint() == Endpoint.FEDERATION ? federationRoutes : routes)
          .dispatch(connection, frame);
    } catch (ProtocolException e) {
      replies.send(connection, type, frame, e);
    } catch (RuntimeException e) {
      LOG.error("Internal error handling {} from {}", type, connection, e);
      replies.send(
          connection,
          type,
          frame,
          new ProtocolException(ErrorCode.INTERNAL, "Internal error handling " + type));
    }
  }

  /** A WebSocket pong control frame arrived: latency only, not liveness (reference §3.4). */
  public void pong(Connection connection) {
    connection.pongReceived(nanoTime.getAsLong());
  }

  /** The transport closed; forget the connection and everything it held. */
  public void closed(Connection connection, int code, String reason) {
    connection.cancelAuthTimer();
    auth.released(connection);
    router.removeAll(connection);
    registry.remove(connection);
    tasks.closed(connection);
    federation.closed(connection);
    LOG.debug("Closed {}: {} {}", connection, code, reason);
  }

  /** Publishes from inside the hub (task and worker events); a failure is logged, not thrown. */
  public void publish(String channel, JsonNode data) {
    publish(channel, data, List.of());
  }

  /** Publishes an event that came through federated hubs ({@code via}, origin first). */
  public void publish(String channel, JsonNode data, List<String> via) {
    ChannelRouter.validateChannel(channel);
    publishing.publish(
        channel,
        data,
        null,
        via,
        (seq, error) -> {
          if (error != null && unavailable() == null) {
            LOG.warn("event on {} not published: {}", channel, error.getMessage());
          } else if (error != null) { // the outage was logged once
            LOG.debug("event on {} not published: {}", channel, error.getMessage());
          }
        });
  }

  /**
   * Null while the hub can take publishes and submissions; else why not (for clients and /health).
   */
  public String unavailable() {
    String why = storage.bus().map(EventBus::unavailable).orElse(null);
    return why != null ? why : storage.unavailable();
  }

  public HubMetrics metrics() {
    return metrics;
  }

  public TaskDispatcher tasks() {
    return tasks.dispatcher();
  }

  public Collection<Connection> connections() {
    return registry.all();
  }

  /** The Prometheus text for {@code /metrics}. */
  public String metricsText() {
    return introspection.metricsText();
  }

  /** The history epoch of this hub: events and seq numbers are only comparable within one. */
  public String epoch() {
    return replayer.epoch();
  }

  /** Closes every connection with 1001 "Server shutting down" and stops the timers. */
  @Override
  public void close() {
    federation.stopping(registry.all());
    storage.bus().ifPresent(EventBus::close); // no events in or out while everyone is closed
    lane.close();
    timers.close();
    for (Connection connection : registry.all()) {
      connection.close(CloseCodes.GOING_AWAY, CloseCodes.SHUTTING_DOWN_REASON);
    }
  }
}
