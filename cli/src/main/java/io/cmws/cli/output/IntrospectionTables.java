package io.cmws.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the hub's introspection replies, the same in the REPL and in the one-shot commands
 * ({@code cmws workers}, {@code cmws channels}, {@code cmws status}).
 */
public final class IntrospectionTables {
  private IntrospectionTables() {}

  /** {@code workers:info}'s workers: id, capabilities, concurrency, running, latency. */
  public static void workers(PrintWriter out, JsonNode workers) {
    out.printf(
        "%-28s  %-30s  %4s  %7s  %s%n", "WORKER", "CAPABILITIES", "CONC", "RUNNING", "LATENCY");
    for (JsonNode worker : workers) {
      List<String> capabilities = new ArrayList<>();
      worker.path("capabilities").forEach(c -> capabilities.add(c.asText()));
      String latency = worker.has("latencyMs") ? worker.get("latencyMs").asText() + " ms" : "-";
      String flags =
          worker.path("draining").asBoolean()
              ? " (draining)"
              : worker.path("suspect").asBoolean() ? " (silent)" : "";
      out.printf(
          "%-28s  %-30s  %4d  %7d  %s%s%n",
          worker.path("id").asText(),
          String.join(",", capabilities),
          worker.path("concurrency").asInt(),
          worker.path("running").size(),
          latency,
          flags);
    }
    out.println(workers.size() + " worker(s)");
  }

  /** {@code channels:info}: channels with their last seq and subscribers, then the patterns. */
  public static void channels(PrintWriter out, JsonNode reply) {
    out.printf("%-40s  %8s  %11s%n", "CHANNEL", "SEQ", "SUBSCRIBERS");
    for (JsonNode c : reply.path("channels")) {
      out.printf(
          "%-40s  %8d  %11d%n",
          c.path("channel").asText(), c.path("seq").asLong(), c.path("subscribers").asInt());
    }
    out.printf("%-40s  %8s  %11s%n", "PATTERN", "", "SUBSCRIBERS");
    for (JsonNode p : reply.path("patterns")) {
      out.printf(
          "%-40s  %8s  %11d%n", p.path("pattern").asText(), "", p.path("subscribers").asInt());
    }
  }

  /** {@code cmws status}'s document as aligned lines. */
  public static void status(PrintWriter out, JsonNode status) {
    line(out, "hub", status.path("url").asText() + " (" + status.path("server").asText() + ")");
    line(out, "health", status.path("health").asText());
    line(out, "uptime", uptime(status.path("uptimeMs").asLong()));
    line(out, "store", status.path("store").asText());
    line(out, "connections", connectionsByType(status));
    JsonNode tasks = status.path("tasks");
    line(out, "workers", tasks.path("workers").asText());
    line(
        out,
        "tasks",
        tasks.path("waiting").asInt() + " waiting, " + tasks.path("running").asInt() + " running");
    line(
        out,
        "channels",
        status.path("channels").asInt()
            + " ("
            + status.path("subscriptions").asInt()
            + " subscriptions)");
    line(
        out,
        "events",
        status.path("eventsPublished").asLong()
            + " published, "
            + status.path("eventsDelivered").asLong()
            + " delivered");
  }

  /** {@code browser 2, worker 1} from a stats reply: the types that have connections. */
  public static String connectionsByType(JsonNode stats) {
    List<String> byType = new ArrayList<>();
    for (var e : stats.path("connections").properties()) {
      if (e.getValue().asInt() > 0) {
        byType.add(e.getKey() + " " + e.getValue().asInt());
      }
    }
    return byType.isEmpty() ? "none" : String.join(", ", byType);
  }

  /** {@code 3 d 4 h}, {@code 2 h 13 min}, {@code 5 min 3 s}, {@code 12 s}. */
  public static String uptime(long millis) {
    long s = millis / 1000;
    if (s >= 86_400) {
      return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
    if (s >= 3600) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
  }

  private static void line(PrintWriter out, String key, String value) {
    out.printf("%-12s %s%n", key, value);
  }
}
