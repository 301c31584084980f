package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;

/**
 * A {@code task:assign} as the worker reads it, from either server: the backend puts the task type
 * in {@code capability}, the standalone hub a capability, a cmws hub adds {@code task.capability},
 * {@code task.attempt} and {@code task.timeoutMs}.
 */
record Assignment(
    String taskId,
    String type,
    String capability,
    int attempt,
    Duration timeout,
    JsonNode payload) {

  static Assignment from(JsonNode frame, Duration defaultTimeout) {
    JsonNode task = frame.path("task");
    String type = task.path("type").asText(null);
    String capability =
        task.hasNonNull("capability")
            ? task.get("capability").asText()
            : frame.hasNonNull("capability") ? frame.get("capability").asText() : type;
    Duration timeout =
        task.path("timeoutMs").canConvertToLong() && task.path("timeoutMs").asLong() > 0
            ? Duration.ofMillis(task.get("timeoutMs").asLong())
            : defaultTimeout;
    JsonNode payload = task.has("payload") ? task.get("payload") : NullNode.getInstance();
    return new Assignment(
        task.path("id").asText(null),
        type,
        capability,
        Math.max(1, task.path("attempt").asInt(1)), // claude-mem sends none: its first attempt
        timeout,
        payload);
  }

  boolean isValid() {
    return taskId != null && !taskId.isEmpty() && type != null;
  }
}
