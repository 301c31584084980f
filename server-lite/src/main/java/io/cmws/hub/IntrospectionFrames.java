package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskDispatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to the {@code workers}, {@code channels} and {@code stats} extensions (for the REPL
 * and tools).
 */
final class Introspection {
  static final int MAX_CHANNELS = 1000;

  private final ConnectionRegistry registry;
  private final ChannelRouter router;
  private final HubMetrics metrics;
  private final TaskDispatcher tasks;
  private final long startedAtMillis;

  Introspection(
      ConnectionRegistry registry,
      ChannelRouter router,
      HubMetrics metrics,
      TaskDispatcher tasks,
      long startedAtMillis) {
    this.registry = registry;
    this.router = router;
    this.metrics = metrics;
    this.tasks = tasks;
    this.startedAtMillis = startedAtMillis;
  }

  ServerFrame.WorkersInfo workers(String requestId) {
    Map<String, Connection> byId = new HashMap<>();
    registry.all().forEach(connection -> byId.put(connection.id(), connection));
    List<JsonNode> workers = new ArrayList<>();
    for (TaskDispatcher.WorkerView view : tasks.workerViews()) {
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
    ObjectNode connections = stats.putObject("connections");
    registry.countsByType().forEach((type, count) -> connections.put(type.label(), count));
    stats.put("subscriptions", router.subscriptions());
    stats.put("patterns", router.patterns());
    stats.put("channels", router.channels());
    stats.put("eventsPublished", metrics.eventsPublished());
    stats.put("eventsDelivered", metrics.eventsDelivered());
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
