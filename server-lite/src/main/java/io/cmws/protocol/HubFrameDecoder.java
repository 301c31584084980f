package io.cmws.protocol;

import static io.cmws.protocol.FrameDecoder.bad;
import static io.cmws.protocol.FrameDecoder.optionalBoolean;
import static io.cmws.protocol.FrameDecoder.optionalInt;
import static io.cmws.protocol.FrameDecoder.optionalNumber;
import static io.cmws.protocol.FrameDecoder.optionalString;
import static io.cmws.protocol.FrameDecoder.optionalStringList;
import static io.cmws.protocol.FrameDecoder.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the federation frames ({@code hub:*}, reference-protocol §6.2), validating each field.
 */
final class HubFrameDecoder {
  private HubFrameDecoder() {}

  static ClientFrame decode(String type, JsonNode node) {
    return switch (type) {
      case "hub:register" ->
          new ClientFrame.HubRegister(
              requiredString(node, "name"),
              optionalString(node, "region"),
              labels(node),
              optionalStringList(node, "capabilities"),
              optionalInt(node, "freeSlots"));
      case "hub:health" ->
          new ClientFrame.HubHealth(
              optionalString(node, "status"),
              optionalInt(node, "connectedWorkers"),
              optionalInt(node, "activeWorkers"),
              optionalNumber(node, "avgLatencyMs"),
              optionalStringList(node, "capabilities"),
              optionalInt(node, "freeSlots"),
              optionalStringList(node, "running"));
      case "hub:task:complete" ->
          new ClientFrame.HubTaskComplete(
              requiredString(node, "taskId"),
              node.get("result"),
              node.hasNonNull("processingTimeMs") ? node.get("processingTimeMs").asLong() : null,
              optionalInt(node, "attempt"),
              optionalString(node, "workerId"));
      case "hub:task:error" ->
          new ClientFrame.HubTaskError(
              requiredString(node, "taskId"),
              node.hasNonNull("error") ? node.get("error").asText() : "unknown error",
              optionalBoolean(node, "retryable"),
              optionalInt(node, "attempt"),
              optionalString(node, "workerId"));
      case "hub:task:progress" ->
          new ClientFrame.HubTaskProgress(
              requiredString(node, "taskId"),
              optionalNumber(node, "progress"),
              optionalString(node, "message"),
              optionalInt(node, "attempt"));
      case "hub:shutdown" -> new ClientFrame.HubShutdown(optionalString(node, "reason"));
      default -> throw bad("not a federation frame: " + type);
    };
  }

  /** {@code labels}: an object of string values, or absent. */
  static Map<String, String> labels(JsonNode node) {
    JsonNode value = node.get("labels");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw bad("'labels' must be an object of strings");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (!e.getValue().isTextual()) {
        throw bad("'labels." + e.getKey() + "' must be a string");
      }
      labels.put(e.getKey(), e.getValue().asText());
    }
    return labels;
  }
}
