package io.cmws.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The pools a hub routes tasks to, as {@code hubs:info} lists them: its own workers first, then
 * each federated hub, one row each. Shared by {@code cmws hubs} and the REPL's {@code hubs}.
 */
public final class HubsTable {
  private static final String ROW = "%-20s  %-9s  %-10s  %-18s  %-28s  %4s  %-7s  %s%n";

  private HubsTable() {}

  /** {@code nowMillis} turns the last health report into an age. */
  public static void print(PrintWriter out, JsonNode hubs, long nowMillis) {
    out.printf(
        ROW, "HUB", "HEALTH", "REGION", "LABELS", "CAPABILITIES", "FREE", "LOAD", "LAST HEALTH");
    for (JsonNode hub : hubs) {
      boolean local = hub.path("local").asBoolean();
      out.printf(
          ROW,
          hub.path("name").asText() + (local ? " (local)" : ""),
          hub.path("health").asText("-"),
          hub.path("region").asText("-"),
          labels(hub.path("labels")),
          join(hub.path("capabilities")),
          hub.path("freeSlots").asInt(),
          hub.path("activeWorkers").asInt() + "/" + hub.path("connectedWorkers").asInt(),
          local ? "-" : age(hub.path("lastReportMillis").asLong(), nowMillis));
    }
    out.println(hubs.size() + " pool(s)");
  }

  private static String labels(JsonNode labels) {
    List<String> pairs = new ArrayList<>();
    labels.fieldNames().forEachRemaining(key -> pairs.add(key + "=" + labels.get(key).asText()));
    return pairs.isEmpty() ? "-" : String.join(",", pairs);
  }

  private static String join(JsonNode values) {
    List<String> all = new ArrayList<>();
    values.forEach(v -> all.add(v.asText()));
    return all.isEmpty() ? "-" : String.join(",", all);
  }

  private static String age(long thenMillis, long nowMillis) {
    if (thenMillis <= 0) {
      return "never";
    }
    long seconds = Math.max(0, (nowMillis - thenMillis) / 1000);
    return seconds < 120 ? seconds + "s ago" : seconds / 60 + "m ago";
  }
}
