package io.cmws.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One published event and its wire encodings, each built at most once per publish: the payload is
 * serialized once, and the {@code event} frame once per distinct matching pattern, however many
 * subscribers receive it. Thread-safe: kept events are replayed from other threads later.
 */
public final class EventMessage {
  private final String channel;
  private final JsonNode data;
  private final long timestamp;
  private final long seq;
  private volatile String dataJson;
  private final Map<String, ByteBuffer> wsFrames = new ConcurrentHashMap<>(4);
  private volatile ByteBuffer sseFrame;

  public EventMessage(String channel, JsonNode data, long timestamp, long seq) {
    this.channel = channel;
    this.data = data;
    this.timestamp = timestamp;
    this.seq = seq;
  }

  public String channel() {
    return channel;
  }

  public JsonNode data() {
    return data;
  }

  public long timestamp() {
    return timestamp;
  }

  public long seq() {
    return seq;
  }

  /**
   * The text of the {@code event} frame delivered for {@code pattern}: the reference envelope
   * {@code {type, channel, data, timestamp}} plus the extensions {@code seq} and {@code pattern}.
   */
  public String eventJson(String pattern) {
    StringBuilder out = new StringBuilder(64 + channel.length() + dataJson().length());
    out.append("{\"type\":\"event\",\"channel\":");
    quote(out, channel);
    out.append(",\"data\":").append(dataJson());
    out.append(",\"timestamp\":").append(timestamp);
    out.append(",\"seq\":").append(seq);
    if (pattern != null) {
      out.append(",\"pattern\":");
      quote(out, pattern);
    }
    return out.append('}').toString();
  }

  /**
   * The {@code event} frame of a replay from history: as {@link #eventJson} plus {@code
   * "replayed":true}.
   */
  public String replayJson(String pattern) {
    String live = eventJson(pattern);
    return live.substring(0, live.length() - 1) + ",\"replayed\":true}";
  }

  /** The complete, unmasked WebSocket text frame for {@code pattern}; a fresh read-only view. */
  public ByteBuffer wsFrame(String pattern) {
    String key = pattern == null ? "" : pattern;
    return wsFrames
        .computeIfAbsent(
            key, p -> WireFrames.text(eventJson(pattern).getBytes(StandardCharsets.UTF_8)))
        .asReadOnlyBuffer();
  }

  /** The legacy SSE frame of reference-protocol §4.8: {@code data: {type, data, timestamp}}. */
  public ByteBuffer sseFrame() {
    if (sseFrame == null) {
      StringBuilder out = new StringBuilder(48 + dataJson().length());
      out.append("data: {\"type\":");
      quote(out, channel);
      out.append(",\"data\":").append(dataJson());
      out.append(",\"timestamp\":").append(timestamp).append("}\n\n");
      sseFrame = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
    }
    return sseFrame.asReadOnlyBuffer();
  }

  /** The payload as JSON text, serialized once. */
  public String dataJson() {
    if (dataJson == null) {
      dataJson = Json.write(data);
    }
    return dataJson;
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }
}
