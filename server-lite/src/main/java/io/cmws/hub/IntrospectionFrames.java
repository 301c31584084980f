package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.FederationPolicy;
import io.cmws.tasks.PoolView;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.WorkerView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The introspection frame family, {@code workers}, {@code channels} and {@code stats} (permission
 * {@code admin}; for the REPL and tools), and the Prometheus text of {@code /metrics}. Runs on the
 * asking connection's transport thread (or the admin HTTP thread for metrics).
 */
final class IntrospectionFrames {
  static final int MAX_CHANNELS = 1000;

  private final ConnectionRegistry registry;
  private final HubStorage storage;
  private final ChannelRouter router;
  private final HubMetrics metrics;
  private final TaskDispatcher tasks;
  private final long startedAtMillis;

  private final Clock clock;

  IntrospectionFrames(
      ConnectionRegistry registry,
      ChannelRouter router,
      HubMetrics metrics,
      TaskDispatcher tasks,
      HubStorage storage,
      Clock clock) {
    this.storage = storage;
    this.registry = registry;
    this.router = router;
    this.metrics = metrics;
    this.tasks = tasks;
    this.clock = clock;
    this.startedAtMillis = clock.millis();
  }

  void routes(FrameRoutes routes) {
    routes.authenticated(
        ClientFrame.Workers.class,
        (connection, frame) -> {
          PermissionDenied.require(connection, Permission.ADMIN, "workers");
          connection.send(workers(frame.id()));
        });
    routes.authenticated(
        ClientFrame.Channels.class,
        (connection, frame) -> {
          PermissionDenied.require(connection, Permission.ADMIN, "channels");
          connection.send(channels(frame.id()));
        });
    routes.authenticated(
        ClientFrame.Stats.class,
        (connection, frame) -> {
          PermissionDenied.require(connection, Permission.ADMIN, "stats");
          connection.send(stats(frame.id(), clock.millis()));
        });
    routes.authenticated(
        ClientFrame.Hubs.class,
        (connection, frame) -> {
          PermissionDenied.require(connection, Permission.ADMIN, "hubs");
          connection.send(hubs(frame.id()));
        });
  }

  /** Per federated hub: whether it is online, its free slots, and the tasks it runs. */
  private void writeHubs(PrometheusText out) {
    Map<String, Integer> online = new TreeMap<>();
    Map<String, Integer> free = new TreeMap<>();
    Map<String, Integer> running = new TreeMap<>();
    for (PoolView view : tasks.poolViews()) {
      online.put(view.name(), view.online() ? 1 : 0);
      free.put(view.name(), view.freeSlots());
      running.put(view.name(), view.running().size());
    }
    out.labelled("cmws_hub_online", "gauge", "Federated hubs: 1 while linked", "hub", online);
    out.labelled("cmws_hub_free_slots", "gauge", "Free slots federated hubs report", "hub", free);
    out.labelled(
        "cmws_hub_tasks_running", "gauge", "Tasks federated hubs run for this hub", "hub", running);
  }

  /** The Prometheus text for {@code /metrics}. */
  String metricsText() {
    PrometheusText out = new PrometheusText();
    Map<String, Integer> byType = new TreeMap<>();
    registry.countsByType().forEach((type, count) -> byType.put(type.label(), count));
    out.labelled("cmws_connections", "gauge", "Open connections by client type", "type", byType);
    out.gauge(
        "cmws_subscriptions", "Subscribed (pattern, connection) pairs", router.subscriptions());
    out.gauge("cmws_patterns", "Distinct subscribed patterns", router.patterns());
    out.gauge("cmws_channels", "Channels that have been published on", router.channels());
    metrics.writeCounters(out);
    out.gauge("cmws_workers", "Registered workers on this hub", tasks.workerCount());
    out.gauge(
        "cmws_tasks_waiting",
        "Tasks waiting, including those waiting for a retry",
        tasks.queue().waiting());
    out.gauge("cmws_tasks_running", "Tasks running on this hub's workers", tasks.runningCount());
    writeHubs(out);
    out.labelled(
        "cmws_tasks_total",
        "counter",
        "Task state changes by kind",
        "outcome",
        new TreeMap<>(tasks.outcomes()));
    Runtime runtime = Runtime.getRuntime();
    out.gauge(
        "cmws_jvm_heap_used_bytes", "Heap in use", runtime.totalMemory() - runtime.freeMemory());
    out.gauge("cmws_jvm_heap_max_bytes", "Maximum heap", runtime.maxMemory());
    ProcessFigures.write(out);
    return out.toString();
  }

  ServerFrame.WorkersInfo workers(String requestId) {
    Map<String, Connection> byId = new HashMap<>();
    registry.all().forEach(connection -> byId.put(connection.id(), connection));
    List<JsonNode> workers = new ArrayList<>();
    for (WorkerView view : tasks.workerViews()) {
      ObjectNode worker = Json.MAPPER.valueToTree(view);
      Connection connection = byId.get(view.id());
      if (connection != null) {
        worker.put("address", connection.peer().address());
        worker.put("connectedAt", connection.openedAtMillis());
        double latency = connection.latencyMillis();
        if (!Double.isNaN(latency)) {
          worker.put("latencyMs", Math.round(latency * 100) / 100.0);
        }
      }
      workers.add(worker);
    }
    return new ServerFrame.WorkersInfo(requestId, workers);
  }

  /** This hub's own pool first, then every federated hub, as {@code hubs:info} lists them. */
  ServerFrame.HubsInfo hubs(String requestId) {
    List<JsonNode> hubs = new ArrayList<>();
    PoolView.Capacity own = tasks.localCapacity();
    FederationPolicy policy = tasks.federation();
    ObjectNode local =
        Json.object()
            .put("name", policy.localName())
            .put("local", true)
            .put("online", true)
            .put("health", "healthy")
            .put("priority", FederationPolicy.LOCAL_PRIORITY)
            .put("weight", FederationPolicy.WEIGHT)
            .put("freeSlots", own.freeSlots())
            .put("connectedWorkers", own.connectedWorkers())
            .put("activeWorkers", own.activeWorkers());
    local.put("region", policy.region());
    local.set("labels", Json.MAPPER.valueToTree(policy.labels()));
    local.set("capabilities", Json.MAPPER.valueToTree(own.capabilities()));
    hubs.add(local);
    for (PoolView view : tasks.poolViews()) {
      ObjectNode hub = Json.MAPPER.valueToTree(view);
      hub.put("local", false);
      hubs.add(hub);
    }
    return new ServerFrame.HubsInfo(requestId, hubs);
  }

  ServerFrame.ChannelsInfo channels(String requestId) {
    List<JsonNode> channels = new ArrayList<>();
    for (ChannelRouter.ChannelView view : router.channelViews(MAX_CHANNELS)) {
      channels.add(
          Json.object()
              .put("channel", view.channel())
              .put("seq", view.seq())
              .put("subscribers", view.subscribers()));
    }
    List<JsonNode> patterns = new ArrayList<>();
    router
        .patternCounts()
        .forEach(
            (pattern, count) ->
                patterns.add(Json.object().put("pattern", pattern).put("subscribers", count)));
    return new ServerFrame.ChannelsInfo(requestId, channels, patterns);
  }

  ServerFrame.StatsInfo stats(String requestId, long nowMillis) {
    ObjectNode stats = Json.object();
    stats.put("uptimeMs", nowMillis - startedAtMillis);
    String unavailable = storage.unavailable();
    stats.put("store", storage.kind());
    stats.put("health", unavailable == null ? "ok" : "degraded");
    if (unavailable != null) {
      stats.put("unavailable", unavailable);
    }
    ObjectNode connections = stats.putObject("connections");
    registry.countsByType().forEach((type, count) -> connections.put(type.label(), count));
    stats.put("subscriptions", router.subscriptions());
    stats.put("patterns", router.patterns());
    stats.put("channels", router.channels());
    stats.put("eventsPublished", metrics.eventsPublished());
    stats.put("eventsDelivered", metrics.eventsDelivered());
    stats.put("slowConsumers", metrics.slowConsumerCount());
    stats.set("errors", Json.MAPPER.valueToTree(metrics.errorCounts()));
    ObjectNode taskStats = stats.putObject("tasks");
    taskStats.put("workers", tasks.workerCount());
    taskStats.put("waiting", tasks.queue().waiting());
    taskStats.put("running", tasks.runningCount());
    taskStats.set("outcomes", Json.MAPPER.valueToTree(tasks.outcomes()));
    Runtime runtime = Runtime.getRuntime();
    stats
        .putObject("heap")
        .put("usedBytes", runtime.totalMemory() - runtime.freeMemory())
        .put("maxBytes", runtime.maxMemory());
    return new ServerFrame.StatsInfo(requestId, stats);
  }
}
