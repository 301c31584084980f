package io.cmws.tasks;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.util.Objects;

/**
 * A snapshot of a task: its request and where it is now. {@code attempt} is the number of attempts
 * started so far; {@code workerId} the worker of the current or last one. On the wire ({@code
 * task:info}, {@code task:listed}) it is one flat object: see {@link #toJson}.
 */
public record Task(
    String id,
    TaskRequest request,
    TaskState state,
    int attempt,
    String workerId,
    long createdAt,
    Long assignedAt,
    Long completedAt,
    Long retryAfter,
    JsonNode result,
    String error) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(state, "state");
  }

  public String type() {
    return request.type();
  }

  public String submittedBy() {
    return request.submittedBy();
  }

  /**
   * The federated hub that ran (or runs) the current attempt, from the worker id {@code
   * hub:NAME[/worker]} the dispatcher gives its pools; null on this hub's own workers.
   */
  public String hub() {
    return hubOf(workerId);
  }

  /** The hub named in a worker id of a federated pool, else null. */
  public static String hubOf(String workerId) {
    if (workerId == null || !workerId.startsWith(Pool.ID_PREFIX)) {
      return null;
    }
    int slash = workerId.indexOf('/');
    return workerId.substring(Pool.ID_PREFIX.length(), slash < 0 ? workerId.length() : slash);
  }

  /** The wire shape, fields in this order, absent ones left out. */
  @JsonValue
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("id", id);
    node.put("type", request.type());
    node.put("state", state.wireName());
    node.put("capability", request.capability());
    node.set("fallbackCapabilities", Json.MAPPER.valueToTree(request.fallbackCapabilities()));
    node.put("priority", request.priority());
    node.put("maxRetries", request.maxRetries());
    node.put("attempt", attempt);
    node.put("timeoutMs", request.timeoutMs());
    putIfPresent(node, "workerId", workerId);
    putIfPresent(node, "hub", hub());
    putIfPresent(node, "clientId", request.clientId());
    putIfPresent(node, "submittedBy", request.submittedBy());
    putIfPresent(node, "deduplicationKey", request.deduplicationKey());
    node.put("createdAt", createdAt);
    putIfPresent(node, "assignedAt", assignedAt);
    putIfPresent(node, "completedAt", completedAt);
    putIfPresent(node, "retryAfter", retryAfter);
    TaskRouting routing = request.routing();
    putIfPresent(node, "preferHub", routing.preferHub());
    putIfPresent(node, "region", routing.region());
    if (!routing.labels().isEmpty()) {
      node.set("labels", Json.MAPPER.valueToTree(routing.labels()));
    }
    node.set("payload", request.payload());
    if (result != null) {
      node.set("result", result);
    }
    putIfPresent(node, "error", error);
    return node;
  }

  /** Reads {@link #toJson} back (stores keep it this way); {@code owner} is an older name. */
  public static Task fromJson(JsonNode node) {
    ObjectNode request = Json.object();
    for (String field :
        new String[] {
          "type",
          "payload",
          "capability",
          "fallbackCapabilities",
          "priority",
          "maxRetries",
          "timeoutMs",
          "deduplicationKey",
          "clientId",
          "submittedBy",
          "owner"
        }) {
      if (node.has(field)) {
        request.set(field, node.get(field));
      }
    }
    return new Task(
        node.path("id").asText(),
        TaskRequest.fromJson(request),
        TaskState.fromWireName(node.path("state").asText()),
        node.path("attempt").asInt(),
        text(node, "workerId"),
        node.path("createdAt").asLong(),
        number(node, "assignedAt"),
        number(node, "completedAt"),
        number(node, "retryAfter"),
        node.hasNonNull("result") ? node.get("result") : null,
        text(node, "error"));
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static Long number(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }
}
