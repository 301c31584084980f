package io.cmws.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One published event and its JSON forms, each built at most once per publish: the payload is
 * serialized once, and each transport's encoding once per distinct matching pattern, however many
 * subscribers receive it. Thread-safe: kept events are replayed from other threads later.
 */
public final class EventMessage {
  private final String channel;
  private final JsonNode data;
  private final long timestamp;
  private final long seq;
  private final List<String> via;
  private volatile String dataJson;

  /** The first encoding asked for: nearly every event has one (one transport, one pattern). */
  private volatile Encoded first;

  /** Any further (encoding, pattern) pairs, created on demand. */
  private volatile Map<Key, Object> others;

  private record Encoded(Encoding<?> encoding, String pattern, Object value) {
    boolean is(Encoding<?> otherEncoding, String otherPattern) {
      return encoding == otherEncoding && pattern.equals(otherPattern);
    }
  }

  private record Key(Encoding<?> encoding, String pattern) {}

  public EventMessage(String channel, JsonNode data, long timestamp, long seq) {
    this(channel, data, timestamp, seq, List.of());
  }

  /** {@code via}: the federated hubs the event came through, its origin first; empty if local. */
  public EventMessage(String channel, JsonNode data, long timestamp, long seq, List<String> via) {
    this(channel, data, null, timestamp, seq, via);
  }

  /**
   * {@code dataJson}: {@code data} as text, if the caller has it (else null: written when needed).
   */
  public EventMessage(
      String channel, JsonNode data, String dataJson, long timestamp, long seq, List<String> via) {
    this.channel = channel;
    this.data = data;
    this.dataJson = dataJson;
    this.timestamp = timestamp;
    this.seq = seq;
    this.via = via == null ? List.of() : List.copyOf(via);
  }

  /** The federated hubs this event came through, origin first; empty for a local event. */
  public List<String> via() {
    return via;
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
   * {@code {type, channel, data, timestamp}} plus the extensions {@code seq}, {@code pattern} and
   * (for an event from another hub) {@code via}.
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
    if (!via.isEmpty()) {
      out.append(",\"via\":[");
      for (int i = 0; i < via.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(out, via.get(i));
      }
      out.append(']');
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

  /**
   * This event as {@code encoding} encodes it for {@code pattern}, built at most once per pair and
   * then shared by every subscriber (and transport thread) that asks.
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Encoding<T> encoding, String pattern) {
    String key = pattern == null ? "" : pattern;
    Encoded known = first;
    if (known != null && known.is(encoding, key)) {
      return (T) known.value(); // the path of nearly every delivery: no map, no lock
    }
    Map<Key, Object> more = others;
    Object value = more == null ? null : more.get(new Key(encoding, key));
    return (T) (value != null ? value : encodeOnce(encoding, key, pattern));
  }

  private synchronized Object encodeOnce(Encoding<?> encoding, String key, String pattern) {
    Encoded known = first;
    if (known == null) {
      Object value = encoding.encode(this, pattern);
      first = new Encoded(encoding, key, value);
      return value;
    }
    if (known.is(encoding, key)) {
      return known.value();
    }
    if (others == null) {
      others = new ConcurrentHashMap<>(4);
    }
    return others.computeIfAbsent(new Key(encoding, key), k -> encoding.encode(this, pattern));
  }

  /**
   * A transport's form of an event (a WebSocket frame, an SSE line). Implementations are stateless
   * singletons and may run on any thread.
   */
  @FunctionalInterface
  public interface Encoding<T> {
    T encode(EventMessage event, String pattern);
  }

  /** The legacy SSE text of reference-protocol §4.8: {@code data: {type, data, timestamp}}. */
  public String legacyJson() {
    StringBuilder out = new StringBuilder(32 + dataJson().length());
    out.append("{\"type\":");
    quote(out, channel);
    out.append(",\"data\":").append(dataJson());
    out.append(",\"timestamp\":").append(timestamp).append('}');
    return out.toString();
  }

  /** The payload as JSON text, serialized once. */
  public String dataJson() {
    if (dataJson == null) {
      dataJson = Json.write(data);
    }
    return dataJson;
  }

  /** Appends {@code text} as a JSON string. */
  static void quote(StringBuilder out, String text) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }
}
