package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A task as a store keeps it: everything needed to rebuild the queue after a restart. */
public record StoredTask(
    String id,
    long seq,
    String type,
    JsonNode payload,
    String capability,
    List<String> fallbackCapabilities,
    int priority,
    int maxRetries,
    long timeoutMs,
    String deduplicationKey,
    String clientId,
    String owner,
    String state,
    int attempt,
    String workerId,
    long createdAt,
    Long assignedAt,
    Long completedAt,
    Long retryAfter,
    JsonNode result,
    String error) {

  public boolean isFinished() {
    return TaskState.fromWireName(state).isFinished();
  }
}
