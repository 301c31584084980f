package io.cmws.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one text frame into a validated {@link ClientFrame}. Every problem becomes a {@link
 * ProtocolException} whose message names the field, so a client learns exactly what was wrong.
 * Stateless and thread-safe.
 */
public final class FrameDecoder {
  /** The reference's text for unparseable frames, kept for claude-mem clients. */
  public static final String INVALID_FORMAT = "Invalid message format";

  private FrameDecoder() {}

  public static ClientFrame decode(String text) {
    JsonNode node;
    try {
      node = Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, INVALID_FORMAT);
    }
    return decode(node);
  }

  public static ClientFrame decode(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw bad("a frame must be a JSON object with a string 'type'");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw bad("a frame must have a string 'type'");
    }
    return switch (type.asText()) {
      case "auth" ->
          new ClientFrame.Auth(
              optionalString(node, "clientType"),
              optionalString(node, "token"),
              node.has("capabilities") ? stringList(node, "capabilities") : null,
              optionalString(node, "sessionId"),
              optionalString(node, "project"),
              optionalString(node, "workingDirectory"),
              optionalString(node, "systemId"),
              optionalString(node, "agent"));
      case "register" ->
          new ClientFrame.Register(
              stringList(node, "capabilities"), optionalObject(node, "metadata"));
      case "subscribe" -> decodeSubscribe(node);
      case "unsubscribe" -> new ClientFrame.Unsubscribe(stringList(node, "channels"));
      case "publish" -> decodePublish(node);
      case "ping" -> new ClientFrame.Ping();
      case "pong" -> new ClientFrame.Pong();
      case "heartbeat" ->
          new ClientFrame.Heartbeat(
              optionalString(node, "workerId"), optionalStringList(node, "currentTasks"));
      case "task:progress" ->
          new ClientFrame.TaskProgress(
              requiredString(node, "taskId"),
              optionalString(node, "workerId"),
              optionalNumber(node, "progress"),
              optionalString(node, "message"));
      case "task:complete" ->
          new ClientFrame.TaskComplete(
              requiredString(node, "taskId"),
              optionalString(node, "workerId"),
              node.get("result"),
              node.hasNonNull("processingTimeMs") ? node.get("processingTimeMs").asLong() : null);
      case "task:error" ->
          new ClientFrame.TaskError(
              requiredString(node, "taskId"),
              optionalString(node, "workerId"),
              requiredString(node, "error"),
              optionalString(node, "stack"),
              optionalBoolean(node, "retryable"));
      case "shutdown" ->
          new ClientFrame.Shutdown(
              optionalString(node, "workerId"), optionalString(node, "reason"));
      case "task:submit" -> decodeSubmit(node);
      case "task:get" -> new ClientFrame.TaskGet(requiredString(node, "taskId"), optionalId(node));
      case "task:list" ->
          new ClientFrame.TaskList(
              optionalString(node, "state"), optionalInt(node, "limit"), optionalId(node));
      case "task:cancel" ->
          new ClientFrame.TaskCancel(
              requiredString(node, "taskId"), optionalString(node, "reason"), optionalId(node));
      case "drain" -> new ClientFrame.Drain(optionalString(node, "workerId"));
      case "history" ->
          new ClientFrame.History(
              requiredString(node, "channel"), optionalInt(node, "last"), optionalId(node));
      case "workers" -> new ClientFrame.Workers(optionalId(node));
      case "channels" -> new ClientFrame.Channels(optionalId(node));
      case "stats" -> new ClientFrame.Stats(optionalId(node));
      case "hubs" -> new ClientFrame.Hubs(optionalId(node));
      case "hub:register",
          "hub:health",
          "hub:task:complete",
          "hub:task:error",
          "hub:task:progress",
          "hub:shutdown" ->
          HubFrameDecoder.decode(type.asText(), node);
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, "Unknown message type: " + abbreviate(type.asText()));
    };
  }

  private static ClientFrame.TaskSubmit decodeSubmit(JsonNode node) {
    JsonNode timeout = node.get("timeoutMs");
    if (timeout != null && !timeout.isNull() && !timeout.isIntegralNumber()) {
      throw bad("'timeoutMs' must be an integer");
    }
    return new ClientFrame.TaskSubmit(
        requiredString(node, "taskType"),
        node.get("payload"),
        optionalString(node, "capability"),
        optionalStringList(node, "fallbackCapabilities"),
        optionalInt(node, "priority"),
        optionalInt(node, "maxRetries"),
        timeout == null || timeout.isNull() ? null : timeout.asLong(),
        optionalString(node, "deduplicationKey"),
        optionalString(node, "clientId"),
        optionalBoolean(node, "watch"),
        optionalId(node),
        optionalString(node, "preferHub"),
        optionalString(node, "region"),
        HubFrameDecoder.labels(node));
  }

  static final int MAX_REPLAY_LAST = 100_000;

  private static ClientFrame.Subscribe decodeSubscribe(JsonNode node) {
    Integer last = optionalInt(node, "last");
    if (last != null && (last < 0 || last > MAX_REPLAY_LAST)) {
      throw bad("'last' must be 0.." + MAX_REPLAY_LAST);
    }
    ClientFrame.Recover recover = decodeRecover(node.get("recover"));
    if (last != null && recover != null) {
      throw bad("give 'recover' or 'last', not both");
    }
    return new ClientFrame.Subscribe(stringList(node, "channels"), recover, last);
  }

  private static ClientFrame.Recover decodeRecover(JsonNode recover) {
    if (recover == null || recover.isNull()) {
      return null;
    }
    if (!recover.isObject()) {
      throw bad("'recover' must be an object {epoch, since, after}");
    }
    Map<String, Long> since = new LinkedHashMap<>();
    JsonNode positions = recover.get("since");
    if (positions != null && !positions.isNull()) {
      if (!positions.isObject()) {
        throw bad("'recover.since' must map channels to seq numbers");
      }
      for (var entry : positions.properties()) {
        if (!entry.getValue().canConvertToLong() || entry.getValue().asLong() < 0) {
          throw bad("'recover.since." + entry.getKey() + "' must be a seq number (0 or more)");
        }
        since.put(entry.getKey(), entry.getValue().asLong());
      }
    }
    JsonNode after = recover.get("after");
    if (after != null && !after.isNull() && !after.canConvertToLong()) {
      throw bad("'recover.after' must be a time in epoch milliseconds");
    }
    return new ClientFrame.Recover(
        optionalString(recover, "epoch"),
        since,
        after == null || after.isNull() ? null : after.asLong());
  }

  static Integer optionalInt(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw bad("'" + field + "' must be an integer");
    }
    return value.asInt();
  }

  static String optionalId(JsonNode node) {
    JsonNode id = node.get("id");
    if (id != null && !id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
      throw bad("'id' must be a string or an integer");
    }
    return id == null || id.isNull() ? null : id.asText();
  }

  private static ClientFrame.Publish decodePublish(JsonNode node) {
    String channel = requiredString(node, "channel");
    if (!node.has("data")) {
      throw bad("publish needs 'data' (any JSON value; use null for none)");
    }
    return new ClientFrame.Publish(
        channel, node.get("data"), optionalId(node), optionalStringList(node, "via"));
  }

  static String requiredString(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw bad(typeName(node) + " needs '" + field + "': a string");
    }
    return value.asText();
  }

  static String optionalString(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw bad("'" + field + "' must be a string");
    }
    return value.asText();
  }

  static Double optionalNumber(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw bad("'" + field + "' must be a number");
    }
    return value.asDouble();
  }

  static Boolean optionalBoolean(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw bad("'" + field + "' must be true or false");
    }
    return value.asBoolean();
  }

  static JsonNode optionalObject(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw bad("'" + field + "' must be an object");
    }
    return value;
  }

  static List<String> optionalStringList(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : stringList(node, field);
  }

  static List<String> stringList(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw bad(typeName(node) + " needs '" + field + "': an array of strings");
    }
    List<String> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw bad(
            "'"
                + field
                + "["
                + i
                + "]' must be a string, not "
                + element.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      out.add(element.asText());
    }
    return out;
  }

  private static String typeName(JsonNode node) {
    return node.get("type").asText();
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  static ProtocolException bad(String message) {
    return new ProtocolException(ErrorCode.BAD_FRAME, message);
  }
}
