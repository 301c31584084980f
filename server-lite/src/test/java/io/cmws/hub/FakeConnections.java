package io.cmws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.EventMessage;
import io.cmws.protocol.FrameDecoder;
import io.cmws.protocol.Json;
import io.cmws.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections without sockets for the frame-family tests: what the hub sends is kept as JSON, and
 * frames go through the routes as the hub hands them over, refusals becoming error frames.
 */
final class FakeConnections {
  private final AtomicLong numbers = new AtomicLong();
  final HubMetrics metrics = new HubMetrics();
  final ErrorReplies replies = new ErrorReplies(metrics);
  final FrameRoutes routes = new FrameRoutes();

  /** Keeps everything sent to one connection, in order. */
  static final class Sink implements FrameSink {
    final List<JsonNode> frames = new ArrayList<>();
    int closeCode;
    String closeReason;

    @Override
    public synchronized boolean sendText(String json) {
      frames.add(Json.parseOrString(json));
      return closeCode == 0;
    }

    @Override
    public boolean sendEvent(EventMessage event, String pattern) {
      return sendText(event.eventJson(pattern));
    }

    @Override
    public synchronized void close(int code, String reason) {
      closeCode = code;
      closeReason = reason;
    }

    @Override
    public boolean isOpen() {
      return closeCode == 0;
    }

    /** The last frame sent. */
    synchronized JsonNode last() {
      if (frames.isEmpty()) {
        throw new AssertionError("nothing was sent");
      }
      return frames.get(frames.size() - 1);
    }

    /** The frames of {@code type}, in order. */
    synchronized List<JsonNode> ofType(String type) {
      return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }
  }

  /** A loopback connection that has not authenticated. */
  Connection pending() {
    long n = numbers.incrementAndGet();
    return new Connection(
        n,
        "pending-" + n,
        new RemotePeer("127.0.0.1:" + (40000 + n), true, null),
        new Sink(),
        0,
        0);
  }

  /** An authenticated connection of {@code type} with these permissions and token. */
  Connection authenticated(ClientType type, Set<Permission> permissions, String token) {
    Connection connection = pending();
    connection.authenticate(type, type.label() + "-" + connection.number(), permissions, token);
    return connection;
  }

  static Sink sink(Connection connection) {
    return (Sink) connection.sink();
  }

  /** Decodes and dispatches {@code json} as the hub does; returns what the connection got last. */
  JsonNode send(Connection connection, String json) {
    ClientFrame frame = FrameDecoder.decode(json);
    try {
      routes.dispatch(connection, frame);
    } catch (ProtocolException e) {
      replies.send(connection, frame, e);
    }
    Sink sink = sink(connection);
    return sink.frames.isEmpty() ? null : sink.last();
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
