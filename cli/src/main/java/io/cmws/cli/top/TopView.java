package io.cmws.cli.top;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.output.IntrospectionTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The screen of {@code cmws top}, as lines no wider than the terminal: rates are the difference of
 * two samples. Pure: the command feeds it samples and draws what it returns.
 */
public final class TopView {
  /** How the channel table is ordered; {@code s} cycles through them. */
  public enum Sort {
    RATE,
    NAME,
    SUBSCRIBERS;

    public Sort next() {
      return values()[(ordinal() + 1) % values().length];
    }
  }

  private record ChannelRow(String channel, double rate, long seq, int subscribers) {}

  private TopView() {}

  public static List<String> render(
      String url,
      TopSample previous,
      TopSample now,
      Sort sort,
      boolean paused,
      int width,
      int height) {
    List<String> lines = new ArrayList<>();
    JsonNode stats = now.stats();
    double seconds = previous == null ? 0 : (now.atMillis() - previous.atMillis()) / 1000.0;
    lines.add(
        fit(
            "cmws top  "
                + url
                + "  up "
                + IntrospectionTables.uptime(stats.path("uptimeMs").asLong())
                + (paused ? "  PAUSED" : "")
                + "   q quit  p pause  s sort ("
                + sort.name().toLowerCase(Locale.ROOT)
                + ")",
            width));
    lines.add(
        fit(
            String.format(
                Locale.ROOT,
                "deliveries/s %s   events/s %s   health %s   store %s",
                rate(previous, now, seconds, "eventsDelivered"),
                rate(previous, now, seconds, "eventsPublished"),
                stats.path("health").asText("?"),
                stats.path("store").asText("?")),
            width));
    lines.add(fit("connections  " + IntrospectionTables.connectionsByType(stats), width));
    JsonNode tasks = stats.path("tasks");
    lines.add(
        fit(
            String.format(
                Locale.ROOT,
                "tasks  %d waiting, %d running   completed/s %s   failed/s %s   slow consumers %d",
                tasks.path("waiting").asInt(),
                tasks.path("running").asInt(),
                outcomeRate(previous, now, seconds, "completed"),
                outcomeRate(previous, now, seconds, "failed"),
                stats.path("slowConsumers").asLong()),
            width));
    lines.add("");
    int workerRows = Math.max(1, Math.min(now.workers().size(), (height - 9) / 3));
    lines.add(
        fit(String.format("%-30s %-30s %5s %5s", "WORKER", "CAPABILITIES", "BUSY", "FREE"), width));
    int shown = 0;
    for (JsonNode worker : now.workers()) {
      if (shown++ >= workerRows) {
        break;
      }
      List<String> caps = new ArrayList<>();
      worker.path("capabilities").forEach(c -> caps.add(c.asText()));
      int busy = worker.path("running").size();
      lines.add(
          fit(
              String.format(
                  "%-30s %-30s %5d %5d",
                  cut(worker.path("id").asText(), 30),
                  cut(String.join(",", caps), 30),
                  busy,
                  Math.max(0, worker.path("concurrency").asInt() - busy)),
              width));
    }
    if (now.workers().size() > workerRows) {
      lines.add(fit("  … " + (now.workers().size() - workerRows) + " more workers", width));
    }
    lines.add("");
    lines.add(
        fit(String.format("%-44s %10s %10s %6s", "CHANNEL", "EVENTS/S", "SEQ", "SUBS"), width));
    int room = Math.max(0, height - lines.size());
    for (ChannelRow row : channelRows(previous, now, seconds, sort)) {
      if (room-- <= 0) {
        break;
      }
      lines.add(
          fit(
              String.format(
                  Locale.ROOT,
                  "%-44s %10.1f %10d %6d",
                  cut(row.channel(), 44),
                  row.rate(),
                  row.seq(),
                  row.subscribers()),
              width));
    }
    return lines.subList(0, Math.min(lines.size(), height));
  }

  private static List<ChannelRow> channelRows(
      TopSample previous, TopSample now, double seconds, Sort sort) {
    Map<String, Long> before = new HashMap<>();
    if (previous != null) {
      previous
          .channels()
          .forEach(c -> before.put(c.path("channel").asText(), c.path("seq").asLong()));
    }
    List<ChannelRow> rows = new ArrayList<>();
    for (JsonNode c : now.channels()) {
      String name = c.path("channel").asText();
      long seq = c.path("seq").asLong();
      double rate =
          seconds <= 0 || !before.containsKey(name) ? 0 : (seq - before.get(name)) / seconds;
      rows.add(new ChannelRow(name, Math.max(0, rate), seq, c.path("subscribers").asInt()));
    }
    Comparator<ChannelRow> order =
        switch (sort) {
          case RATE -> Comparator.comparingDouble(ChannelRow::rate).reversed();
          case NAME -> Comparator.comparing(ChannelRow::channel);
          case SUBSCRIBERS -> Comparator.comparingInt(ChannelRow::subscribers).reversed();
        };
    rows.sort(order.thenComparing(ChannelRow::channel));
    return rows;
  }

  private static String rate(TopSample previous, TopSample now, double seconds, String field) {
    if (previous == null || seconds <= 0) {
      return "-";
    }
    double perSecond =
        (now.stats().path(field).asLong() - previous.stats().path(field).asLong()) / seconds;
    return String.format(Locale.ROOT, "%.0f", Math.max(0, perSecond));
  }

  private static String outcomeRate(
      TopSample previous, TopSample now, double seconds, String outcome) {
    if (previous == null || seconds <= 0) {
      return "-";
    }
    long a = previous.stats().path("tasks").path("outcomes").path(outcome).asLong();
    long b = now.stats().path("tasks").path("outcomes").path(outcome).asLong();
    return String.format(Locale.ROOT, "%.1f", Math.max(0, (b - a) / seconds));
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String fit(String line, int width) {
    return line.length() <= width ? line : line.substring(0, Math.max(0, width));
  }
}
