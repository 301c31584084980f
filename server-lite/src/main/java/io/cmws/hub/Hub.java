package io.cmws.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.FrameDecoder;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskSignals;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: what every connection may say and what it gets back, independent of the transport.
 * {@link #receive} runs on the connection's transport thread, one frame at a time per connection,
 * and never blocks. A bad frame costs its sender an {@code error} frame and nothing else.
 */
public final class Hub implements AutoCloseable {
  public static final String SERVER_NAME = "cmws";
  public static final int PROTOCOL_VERSION = 1;
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final HubConfig config;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService scheduler;
  private final String version;
  private final HubMetrics metrics = new HubMetrics();
  private final ConnectionRegistry registry;
  private final ChannelRouter router;
  private final AuthHandler auth;
  private final TaskHandler tasks;
  private final Introspection introspection;
  private final Replayer replayer;
  private final ScheduledFuture<?> heartbeat;
  private final ScheduledFuture<?> taskTimer;
  private final java.util.function.Supplier<String> unavailable;

  /** Null in a hub of its own; else how events reach the other hubs (and come back to this one). */
  private final EventBus bus;

  /** Where task work runs: in place, or (sharing a queue in Redis) on a thread of its own. */
  private final Executor lane;

  /** A hub that keeps everything in memory. */
  public Hub(
      HubConfig config,
      Clock clock,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      String version) {
    this(config, clock, nanoTime, scheduler, version, HubStorage.ephemeral(config));
  }

  /** The scheduler runs timers (heartbeat, pre-auth, leases); the caller owns and shuts it down. */
  public Hub(
      HubConfig config,
      Clock clock,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      String version,
      HubStorage storage) {
    this.config = config;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.scheduler = scheduler;
    this.version = version;
    this.registry = new ConnectionRegistry(clock);
    this.router = new ChannelRouter(clock, metrics, config.historySize());
    storage
        .channels()
        .forEach(kept -> router.restore(kept.channel(), kept.events(), kept.lastSeq()));
    router.listener(storage.onPublished()::accept);
    this.unavailable = storage.unavailable();
    this.bus = storage.bus();
    this.replayer = new Replayer(router, storage.epoch(), clock);
    this.auth = new AuthHandler(config.access(), registry, router, metrics, nanoTime);
    TaskDispatcher dispatcher = new TaskDispatcher(storage.queue(), this::publish, clock);
    this.tasks = new TaskHandler(dispatcher, config.tasks().defaults(), storage.journal(), metrics);
    dispatcher.limitPerSubmitter(config.limits().maxTasksPerSubmitter());
    this.introspection = new Introspection(registry, router, metrics, dispatcher, clock.millis());
    long tick = config.tasks().tick().toNanos();
    this.lane = storage.bus() == null ? Runnable::run : newTaskLane();
    dispatcher.signals(storage.signals());
    AtomicBoolean tickQueued = new AtomicBoolean();
    this.taskTimer =
        scheduler.scheduleAtFixedRate(
            () -> once(tickQueued, () -> guarded("task timer", dispatcher::tick)),
            tick,
            tick,
            TimeUnit.NANOSECONDS);
    LivenessMonitor liveness = new LivenessMonitor(registry, metrics, config.heartbeatTimeout());
    long interval = config.heartbeatInterval().toNanos();
    this.heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> guarded("heartbeat", () -> liveness.tick(nanoTime.getAsLong())),
            interval,
            interval,
            TimeUnit.NANOSECONDS);
    if (bus != null) {
      replayer.epoch(bus.start(new BusSink()));
    }
    storage.signals().listen(new SignalListener(dispatcher));
  }

  /**
   * Task work that may wait on the shared queue's Redis runs on one thread of its own, never on the
   * transport's threads; a hub of its own runs it in place. Errors become error frames as usual.
   */
  private void onTaskLane(Connection connection, String type, ClientFrame frame, Runnable work) {
    try {
      lane.execute(() -> runOnLane(connection, type, frame, work));
    } catch (RejectedExecutionException stopping) {
      // The lane is shut down only while the hub stops; the client is being closed with 1001.
      reject(
          connection,
          type,
          frame,
          new ProtocolException(ErrorCode.UNAVAILABLE, CloseCodes.SHUTTING_DOWN_REASON));
    }
  }

  private void runOnLane(Connection connection, String type, ClientFrame frame, Runnable work) {
    try {
      work.run();
    } catch (ProtocolException e) {
      reject(connection, type, frame, e);
    } catch (TaskQueue.UnavailableException e) {
      reject(connection, type, frame, new ProtocolException(ErrorCode.UNAVAILABLE, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("Internal error handling {} from {}", type, connection, e);
      reject(
          connection,
          type,
          frame,
          new ProtocolException(ErrorCode.INTERNAL, "Internal error handling " + type));
    }
  }

  private static Executor newTaskLane() {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "cmws-task-lane");
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Queues {@code work} on the lane unless it is queued already (timer ticks and wake-ups pile up
   * otherwise).
   */
  private void once(AtomicBoolean queued, Runnable work) {
    if (queued.compareAndSet(false, true)) {
      lane.execute(
          () -> {
            queued.set(false);
            work.run();
          });
    }
  }

  /** Other hubs' dispatchers, through the shared queue's signals. */
  private final class SignalListener implements TaskSignals.Listener {
    private final TaskDispatcher dispatcher;
    private final AtomicBoolean dispatchQueued = new AtomicBoolean();

    SignalListener(TaskDispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    @Override
    public void waiting() {
      once(dispatchQueued, () -> guarded("task wake-up", dispatcher::remoteWaiting));
    }

    @Override
    public void finished(String taskId) {
      lane.execute(() -> guarded("task result", () -> dispatcher.remoteFinished(taskId)));
    }

    @Override
    public void takenAway(String taskId, String workerId, int attempt, String reason) {
      lane.execute(
          () ->
              guarded(
                  "task taken away",
                  () -> dispatcher.remoteTakenAway(taskId, workerId, attempt, reason)));
    }

    @Override
    public void missedSome() {
      lane.execute(() -> guarded("task resync", dispatcher::remoteMissedSome));
    }
  }

  /** Events from the shared bus: every hub's, this one's included. */
  private final class BusSink implements EventBus.Sink {
    @Override
    public long lastSeq(String channel) {
      return router.lastSeq(channel);
    }

    @Override
    public void event(EventMessage event) {
      router.deliver(event);
    }

    @Override
    public void epochChanged(String epoch) {
      LOG.warn(
          "the shared history was lost (new epoch {}); clients recovering from before get recovered:false",
          epoch);
      router.resetHistory();
      replayer.epoch(epoch);
    }
  }

  /**
   * Whether a browser from {@code origin} (the handshake's Origin header, or null) may connect;
   * counts refusals.
   */
  public boolean allowsOrigin(String origin) {
    return counted(config.browsers().allowsOrigin(origin), "origin");
  }

  /**
   * Whether a request naming {@code host} (its Host header, or null) is answered; counts refusals.
   */
  public boolean allowsHost(String host) {
    return counted(config.browsers().allowsHost(host), "host");
  }

  private boolean counted(boolean allowed, String limit) {
    if (!allowed) {
      metrics.limitRejected(limit);
    }
    return allowed;
  }

  /** Registers a new connection and greets it with {@code connection:pending}. */
  public Connection open(FrameSink sink, RemotePeer peer) {
    Connection connection = registry.create(peer, sink, nanoTime.getAsLong());
    metrics.connectionOpened();
    Limits limits = config.limits();
    if (registry.size() > limits.maxConnections()) {
      return refuse(
          connection,
          "connections",
          "the hub is at its limit of " + limits.maxConnections() + " connections");
    }
    if (limits.appliesTo(peer)) {
      if (registry.countFrom(peer.host()) > limits.maxConnectionsPerAddress()) {
        return refuse(
            connection,
            "connections_per_address",
            "at most " + limits.maxConnectionsPerAddress() + " connections from one address");
      }
      connection.limiter(
          new RateLimiter(limits.messagesPerSecond(), limits.burst(), nanoTime.getAsLong()));
    }
    connection.send(
        new ServerFrame.ConnectionPending(
            connection.id(),
            config.access().requiresAuth(peer.loopback()),
            SERVER_NAME,
            version,
            PROTOCOL_VERSION));
    connection.authTimer(
        scheduler.schedule(
            () -> expireUnauthenticated(connection),
            config.preAuthTimeout().toNanos(),
            TimeUnit.NANOSECONDS));
    return connection;
  }

  /** Closes a connection over a limit with 1013 (try again later), before any greeting. */
  private Connection refuse(Connection connection, String limit, String why) {
    metrics.limitRejected(limit);
    LOG.debug("refused {}: {}", connection.peer().address(), why);
    connection.close(CloseCodes.TRY_AGAIN_LATER, why);
    return connection;
  }

  /** Registers a connection that needs no handshake (the legacy SSE stream), subscribed to all. */
  public Connection openLegacyStream(FrameSink sink, RemotePeer peer, Set<Permission> permissions) {
    Connection connection = registry.create(peer, sink, nanoTime.getAsLong());
    metrics.connectionOpened();
    connection.cancelAuthTimer();
    connection.authenticate(ClientType.LEGACY_SSE, registry.legacyStreamId(), permissions, null);
    router.subscribe(connection, List.of(ChannelNames.WILDCARD));
    return connection;
  }

  /** Handles one text frame. Never throws: problems become {@code error} frames. */
  public void receive(Connection connection, String text) {
    metrics.frameReceived();
    RateLimiter limiter = connection.limiter();
    if (limiter != null && !withinRate(connection, limiter)) {
      return;
    }
    JsonNode node;
    try {
      node = Json.parse(text);
    } catch (JsonProcessingException e) {
      reject(
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
      dispatch(connection, frame);
    } catch (ProtocolException e) {
      reject(connection, type, frame, e);
    } catch (RuntimeException e) {
      LOG.error("Internal error handling {} from {}", type, connection, e);
      reject(
          connection,
          type,
          frame,
          new ProtocolException(ErrorCode.INTERNAL, "Internal error handling " + type));
    }
  }

  /** Applies the connection's rate limit; false drops the frame (with an error once a second). */
  private boolean withinRate(Connection connection, RateLimiter limiter) {
    switch (limiter.next(nanoTime.getAsLong())) {
      case TAKE:
        return true;
      case REFUSE_AND_TELL:
        metrics.limitRejected("rate");
        connection.send(
            new ServerFrame.Error(
                "More than "
                    + config.limits().messagesPerSecond()
                    + " messages a second: dropped; slow down",
                ErrorCode.RATE_LIMITED.wireName(),
                null,
                null,
                null));
        return false;
      case REFUSE:
        metrics.limitRejected("rate");
        return false;
      default:
        metrics.limitRejected("flood");
        connection.close(
            CloseCodes.POLICY,
            "message flood: far beyond " + config.limits().messagesPerSecond() + "/s");
        return false;
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
    if (code == CloseCodes.TOO_BIG) {
      metrics.error("frame_too_big");
    }
    if (connection.isRegistered()) {
      publish("worker:disconnected", workerEvent(connection));
      lane.execute(() -> guarded("worker gone", () -> tasks.dispatcher().workerGone(connection)));
    }
    LOG.debug("Closed {}: {} {}", connection, code, reason);
  }

  /** Publishes from inside the hub (task and worker events); a failure is logged, not thrown. */
  public void publish(String channel, JsonNode data) {
    publish(
        channel,
        data,
        (seq, error) -> {
          if (error != null && unavailable() == null) {
            LOG.warn("event on {} not published: {}", channel, error.getMessage());
          } else if (error != null) {
            LOG.debug(
                "event on {} not published: {}",
                channel,
                error.getMessage()); // the outage was logged once
          }
        });
  }

  /** Publishes; {@code done} learns the seq or the error, at once or (through the bus) later. */
  public void publish(String channel, JsonNode data, EventBus.Published done) {
    ChannelRouter.validateChannel(channel);
    if (bus == null) {
      done.done(router.publish(channel, data), null);
    } else {
      bus.publish(channel, data, clock.millis(), done);
    }
  }

  /**
   * Null while the hub can take publishes and submissions; else why not (for clients and /health).
   */
  public String unavailable() {
    String why = bus == null ? null : bus.unavailable();
    return why != null ? why : unavailable.get();
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
    PrometheusText out = new PrometheusText();
    Map<String, Integer> byType = new TreeMap<>();
    registry.countsByType().forEach((type, count) -> byType.put(type.label(), count));
    out.labelled("cmws_connections", "gauge", "Open connections by client type", "type", byType);
    out.gauge(
        "cmws_subscriptions", "Subscribed (pattern, connection) pairs", router.subscriptions());
    out.gauge("cmws_patterns", "Distinct subscribed patterns", router.patterns());
    out.gauge("cmws_channels", "Channels that have been published on", router.channels());
    metrics.writeCounters(out);
    TaskDispatcher dispatcher = tasks.dispatcher();
    out.gauge("cmws_workers", "Registered workers on this hub", dispatcher.workerCount());
    out.gauge(
        "cmws_tasks_waiting",
        "Tasks waiting, including those waiting for a retry",
        dispatcher.queue().waiting());
    out.gauge(
        "cmws_tasks_running", "Tasks running on this hub's workers", dispatcher.runningCount());
    out.labelled(
        "cmws_tasks_total",
        "counter",
        "Task state changes by kind",
        "outcome",
        new TreeMap<>(dispatcher.outcomes()));
    Runtime runtime = Runtime.getRuntime();
    out.gauge(
        "cmws_jvm_heap_used_bytes", "Heap in use", runtime.totalMemory() - runtime.freeMemory());
    out.gauge("cmws_jvm_heap_max_bytes", "Maximum heap", runtime.maxMemory());
    return out.toString();
  }

  /** Closes every connection with 1001 "Server shutting down" and stops the timers. */
  @Override
  public void close() {
    if (bus != null) {
      bus.close();
    }
    if (lane instanceof ExecutorService service) {
      service.shutdown();
    }
    heartbeat.cancel(false);
    taskTimer.cancel(false);
    for (Connection connection : registry.all()) {
      connection.close(CloseCodes.GOING_AWAY, CloseCodes.SHUTTING_DOWN_REASON);
    }
  }

  private void dispatch(Connection connection, ClientFrame frame) {
    if (frame instanceof ClientFrame.Auth a) {
      auth.auth(connection, a);
    } else if (frame instanceof ClientFrame.Register r) {
      TaskHandler.concurrency(r.metadata()); // refuse a bad announcement before registering
      if (auth.register(connection, r)) {
        ObjectNode data = workerEvent(connection);
        data.set("capabilities", Json.MAPPER.valueToTree(r.capabilities()));
        publish("worker:connected", data);
        if (connection.has(Permission.TASK_RECEIVE)) {
          onTaskLane(connection, "register", frame, () -> tasks.registered(connection, r));
        }
      }
    } else if (frame instanceof ClientFrame.Ping) {
      markAlive(connection, false);
      connection.send(new ServerFrame.Pong());
    } else if (frame instanceof ClientFrame.Pong) {
      markAlive(connection, false);
    } else if (frame instanceof ClientFrame.Heartbeat) {
      markAlive(connection, true);
      if (connection.isRegistered()) {
        onTaskLane(connection, "heartbeat", frame, () -> tasks.dispatcher().heartbeat(connection));
      }
      connection.send(new ServerFrame.HeartbeatAck(clock.millis()));
    } else {
      dispatchAuthenticated(connection, frame);
    }
  }

  private void dispatchAuthenticated(Connection connection, ClientFrame frame) {
    if (!connection.isAuthenticated()) {
      throw new ProtocolException(
          ErrorCode.UNAUTHENTICATED, "Not authenticated: send auth (or register) first");
    }
    if (frame instanceof ClientFrame.Subscribe s) {
      require(connection, Permission.SUBSCRIBE, "subscribe");
      requireSubscriptionRoom(connection, s.channels());
      s.channels().forEach(pattern -> requireInScope(connection, pattern, true));
      if (s.recover() != null || s.last() != null) {
        ChannelRouter.validatePatterns(s.channels());
        replayer.subscribe(connection, s);
      } else {
        subscribeLive(connection, s.channels());
      }
    } else if (frame instanceof ClientFrame.History h) {
      require(connection, Permission.SUBSCRIBE, "history");
      ChannelRouter.validateChannel(h.channel());
      requireInScope(connection, h.channel(), false);
      ChannelLog.Replay kept =
          router.history(h.channel(), h.last() == null ? 100 : Math.max(0, h.last()));
      List<JsonNode> events =
          kept.events().stream().map(e -> Json.parseOrString(e.replayJson(null))).toList();
      connection.send(
          new ServerFrame.HistoryInfo(
              h.id(), h.channel(), replayer.epoch(), kept.complete(), events));
    } else if (frame instanceof ClientFrame.Unsubscribe u) {
      connection.send(new ServerFrame.Unsubscribed(router.unsubscribe(connection, u.channels())));
    } else if (frame instanceof ClientFrame.Publish p) {
      require(connection, Permission.BROADCAST, "publish");
      ChannelRouter.validateChannel(p.channel());
      requireInScope(connection, p.channel(), false);
      requireChannelRoom(p.channel());
      requireAvailable();
      publish(
          p.channel(),
          p.data(),
          (seq, error) -> {
            if (error == null) {
              connection.send(new ServerFrame.Published(p.id(), p.channel(), seq));
            } else {
              reject(
                  connection,
                  "publish",
                  p,
                  new ProtocolException(
                      ErrorCode.UNAVAILABLE, "not published: " + error.getMessage()));
            }
          });
    } else if (frame instanceof ClientFrame.TaskProgress
        || frame instanceof ClientFrame.TaskComplete
        || frame instanceof ClientFrame.TaskError) {
      require(connection, Permission.TASK_COMPLETE, "task results");
      onTaskLane(connection, typeOf(frame), frame, () -> tasks.report(connection, frame));
    } else if (frame instanceof ClientFrame.TaskSubmit submit) {
      require(connection, Permission.TASK_SUBMIT, "task:submit");
      requireAvailable();
      onTaskLane(connection, "task:submit", frame, () -> tasks.submit(connection, submit));
    } else if (frame instanceof ClientFrame.TaskGet get) {
      requireEither(connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:get");
      onTaskLane(connection, "task:get", frame, () -> tasks.get(connection, get));
    } else if (frame instanceof ClientFrame.TaskList list) {
      requireEither(connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:list");
      onTaskLane(connection, "task:list", frame, () -> tasks.list(connection, list));
    } else if (frame instanceof ClientFrame.TaskCancel cancel) {
      requireEither(connection, Permission.TASK_SUBMIT, Permission.ADMIN, "task:cancel");
      onTaskLane(connection, "task:cancel", frame, () -> tasks.cancel(connection, cancel));
    } else if (frame instanceof ClientFrame.Drain) {
      if (!connection.isRegistered()) {
        throw new ProtocolException(ErrorCode.NOT_A_WORKER, "drain is for registered workers");
      }
      onTaskLane(connection, "drain", frame, () -> tasks.dispatcher().workerDraining(connection));
    } else if (frame instanceof ClientFrame.Workers w) {
      require(connection, Permission.ADMIN, "workers");
      connection.send(introspection.workers(w.id()));
    } else if (frame instanceof ClientFrame.Channels c) {
      require(connection, Permission.ADMIN, "channels");
      connection.send(introspection.channels(c.id()));
    } else if (frame instanceof ClientFrame.Stats st) {
      require(connection, Permission.ADMIN, "stats");
      connection.send(introspection.stats(st.id(), clock.millis()));
    } else if (frame instanceof ClientFrame.Shutdown) {
      if (connection.type() != ClientType.WORKER) {
        throw new ProtocolException(ErrorCode.NOT_A_WORKER, "shutdown is for workers");
      }
      connection.close(CloseCodes.NORMAL, "Worker shutdown");
    }
  }

  /**
   * Workers prove liveness only with {@code heartbeat}; other clients with pong, ping or heartbeat.
   */
  private void markAlive(Connection connection, boolean heartbeatFrame) {
    if (heartbeatFrame || connection.type() != ClientType.WORKER) {
      connection.seen(nanoTime.getAsLong());
    }
  }

  private static void requireEither(
      Connection connection, Permission one, Permission other, String action) {
    if (!connection.has(one) && !connection.has(other)) {
      throw new PermissionDenied(one, action);
    }
  }

  /**
   * Subscribes; events published meanwhile wait until the {@code subscribed} reply is out, so a
   * client never sees an event of a subscription before the reply that confirms it.
   */
  private void subscribeLive(Connection connection, List<String> patterns) {
    ChannelRouter.validatePatterns(
        patterns); // before holding anything: a refusal must not swallow events
    RecoveryBuffer buffer = connection.beginRecovery();
    try {
      List<String> added = router.subscribe(connection, patterns);
      buffer.finish(
          held -> {
            connection.send(new ServerFrame.Subscribed(added));
            for (RecoveryBuffer.Held h : held) {
              connection.sink().sendEvent(h.event(), h.pattern());
            }
          });
    } finally {
      connection.endRecovery();
    }
  }

  /**
   * A token limited to some channels may use only those: a pattern must stay inside them, a channel
   * match one.
   */
  private void requireInScope(Connection connection, String patternOrChannel, boolean pattern) {
    List<String> scope = config.access().channelScope(connection.tokenName());
    if (scope.isEmpty()) {
      return;
    }
    boolean inside =
        scope.stream()
            .anyMatch(
                s ->
                    pattern
                        ? ChannelNames.covers(s, patternOrChannel)
                        : ChannelNames.matches(s, patternOrChannel));
    if (!inside) {
      metrics.limitRejected("token_channels");
      throw new ProtocolException(
          ErrorCode.FORBIDDEN,
          "token '"
              + connection.tokenName()
              + "' may only use channels "
              + String.join(", ", scope)
              + "; '"
              + patternOrChannel
              + "' is outside them");
    }
  }

  private void requireChannelRoom(String channel) {
    int max = config.limits().maxChannels();
    if (router.channels() >= max && !router.knows(channel)) {
      metrics.limitRejected("channels");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "the hub keeps at most " + max + " channels; publish on an existing one");
    }
  }

  private void requireSubscriptionRoom(Connection connection, List<String> patterns) {
    Limits limits = config.limits();
    if (patterns.size() > limits.maxChannelsPerSubscribe()) {
      metrics.limitRejected("channels_per_subscribe");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "at most "
              + limits.maxChannelsPerSubscribe()
              + " channels per subscribe, got "
              + patterns.size());
    }
    long adding =
        patterns.stream().distinct().filter(p -> !connection.patterns().contains(p)).count();
    if (connection.patterns().size() + adding > limits.maxSubscriptionsPerConnection()) {
      metrics.limitRejected("subscriptions");
      throw new ProtocolException(
          ErrorCode.LIMIT_EXCEEDED,
          "at most "
              + limits.maxSubscriptionsPerConnection()
              + " subscriptions per connection; this one has "
              + connection.patterns().size());
    }
  }

  /**
   * Refuses what the storage cannot take now, with the reason, rather than queueing without bound.
   */
  private void requireAvailable() {
    String why = unavailable();
    if (why != null) {
      throw new ProtocolException(ErrorCode.UNAVAILABLE, why);
    }
  }

  private static void require(Connection connection, Permission permission, String action) {
    if (!connection.has(permission)) {
      throw new PermissionDenied(permission, action);
    }
  }

  private void reject(Connection connection, String type, ClientFrame frame, ProtocolException e) {
    metrics.error(e.code().wireName());
    String permission = e instanceof PermissionDenied denied ? denied.permission.wireName() : null;
    String id = frame instanceof ClientFrame.Publish p ? p.id() : null;
    connection.send(
        new ServerFrame.Error(e.getMessage(), e.code().wireName(), type, permission, id));
  }

  private void expireUnauthenticated(Connection connection) {
    if (!connection.isAuthenticated()) {
      metrics.error("auth_timeout");
      connection.close(CloseCodes.UNAUTHORIZED, "Authentication timeout");
    }
  }

  /** The history epoch of this hub: events and seq numbers are only comparable within one. */
  public String epoch() {
    return replayer.epoch();
  }

  /** A new history epoch: a time and a random part, so two never collide in practice. */
  public static String freshEpoch() {
    return Long.toString(System.currentTimeMillis(), 36)
        + "-"
        + Long.toString(
            java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  private static String typeOf(ClientFrame report) {
    return report instanceof ClientFrame.TaskProgress
        ? "task:progress"
        : report instanceof ClientFrame.TaskComplete ? "task:complete" : "task:error";
  }

  private static ObjectNode workerEvent(Connection connection) {
    ObjectNode data = Json.object();
    data.put("workerId", connection.id());
    return data;
  }

  private void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (TaskQueue.UnavailableException e) {
      LOG.debug("{} skipped: {}", what, e.getMessage()); // the bus already said Redis is down, once
    } catch (RuntimeException e) {
      LOG.error("{} failed", what, e);
    }
  }

  /** A frame needs a permission the connection lacks; the error frame names it. */
  private static final class PermissionDenied extends ProtocolException {
    private static final long serialVersionUID = 1L;
    private final transient Permission permission;

    PermissionDenied(Permission permission, String action) {
      super(
          ErrorCode.FORBIDDEN, "Permission '" + permission.wireName() + "' required for " + action);
      this.permission = permission;
    }
  }
}
