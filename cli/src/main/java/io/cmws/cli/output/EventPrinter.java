package io.cmws.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.io.PrintWriter;

/**
 * Prints delivered events: text lines {@code channel#seq data} ({@code seq} counts per channel),
 * JSON Lines records {@code {channel, data, timestamp, seq, pattern}} with {@code seq} and {@code
 * pattern} null when the hub does not send them (claude-mem). Not thread-safe; flushes after every
 * line so pipes see events at once.
 */
public final class EventPrinter {
  private final PrintWriter out;
  private final OutputFormat format;
  private final Style style;

  public EventPrinter(PrintWriter out, OutputFormat format, Style style) {
    this.out = out;
    this.format = format;
    this.style = style;
  }

  public void print(JsonNode event) {
    JsonNode data = event.has("data") ? event.get("data") : null;
    String channel = event.path("channel").asText();
    switch (format) {
      case JSON -> out.println(Json.write(record(event, channel, data)));
      case RAW -> out.println(dataText(data));
      case TEXT -> out.println(style.channel(channel) + seqText(event) + " " + dataText(data));
    }
    out.flush();
  }

  private static ObjectNode record(JsonNode event, String channel, JsonNode data) {
    ObjectNode record = Json.object();
    record.put("channel", channel);
    record.set("data", data);
    record.set("timestamp", event.get("timestamp"));
    record.set("seq", event.get("seq"));
    record.set("pattern", event.get("pattern"));
    return record;
  }

  /** {@code #4}: the event's number on its own channel; nothing from a hub without seq. */
  private String seqText(JsonNode event) {
    JsonNode seq = event.get("seq");
    return seq == null || !seq.canConvertToLong() ? "" : style.dim("#" + seq.asLong());
  }

  /** Strings print as they are, everything else as compact JSON. */
  static String dataText(JsonNode data) {
    if (data == null) {
      return "null";
    }
    return data.isTextual() ? data.asText() : Json.write(data);
  }
}
