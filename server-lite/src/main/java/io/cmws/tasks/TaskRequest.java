package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated submission: what every view of a task (snapshot, stored record, Redis hash) shares.
 * {@code maxRetries} counts attempts in total, as in claude-mem: 3 means the first try and two
 * retries. {@code submittedBy} is who may cancel it ({@code token:NAME}, or {@code local}).
 */
public record TaskRequest(
    String type,
    JsonNode payload,
    String capability,
    List<String> fallbackCapabilities,
    int priority,
    int maxRetries,
    long timeoutMs,
    String deduplicationKey,
    String clientId,
    String submittedBy,
    TaskRouting routing) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._/@-]{0,127}");
  public static final int MAX_ATTEMPTS = 100;
  public static final long MIN_TIMEOUT_MS = 100;
  public static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;

  public TaskRequest {
    requireName("task type", type);
    requireName("capability", capability);
    fallbackCapabilities = List.copyOf(fallbackCapabilities);
    for (String fallback : fallbackCapabilities) {
      requireName("fallback capability", fallback);
    }
    if (maxRetries < 1 || maxRetries > MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "maxRetries (attempts in total) must be 1.." + MAX_ATTEMPTS + ", got " + maxRetries);
    }
    if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "timeoutMs must be " + MIN_TIMEOUT_MS + ".." + MAX_TIMEOUT_MS + ", got " + timeoutMs);
    }
    payload = payload == null ? NullNode.getInstance() : payload;
    routing = routing == null ? TaskRouting.ANY : routing;
  }

  /** A request with no pool preference. */
  public TaskRequest(
      String type,
      JsonNode payload,
      String capability,
      List<String> fallbackCapabilities,
      int priority,
      int maxRetries,
      long timeoutMs,
      String deduplicationKey,
      String clientId,
      String submittedBy) {
    this(
        type,
        payload,
        capability,
        fallbackCapabilities,
        priority,
        maxRetries,
        timeoutMs,
        deduplicationKey,
        clientId,
        submittedBy,
        TaskRouting.ANY);
  }

  /** The same request with pool preferences. */
  public TaskRequest routed(TaskRouting newRouting) {
    return new TaskRequest(
        type,
        payload,
        capability,
        fallbackCapabilities,
        priority,
        maxRetries,
        timeoutMs,
        deduplicationKey,
        clientId,
        submittedBy,
        newRouting);
  }

  /**
   * Fills what the submitter left out from the per-type defaults; capability defaults to the type.
   */
  public static TaskRequest withDefaults(
      TaskDefaults defaults,
      String type,
      JsonNode payload,
      String capability,
      List<String> fallbacks,
      Integer priority,
      Integer maxRetries,
      Long timeoutMs,
      String deduplicationKey,
      String clientId,
      String submittedBy) {
    requireName("task type", type);
    return new TaskRequest(
        type,
        payload,
        capability == null ? type : capability,
        fallbacks == null ? List.of() : fallbacks,
        priority == null ? defaults.priority(type) : priority,
        maxRetries == null ? defaults.maxRetries(type) : maxRetries,
        timeoutMs == null ? defaults.timeoutMs(type) : timeoutMs,
        deduplicationKey,
        clientId,
        submittedBy);
  }

  /** The capability first, then the fallbacks. */
  public List<String> capabilities() {
    List<String> all = new ArrayList<>(1 + fallbackCapabilities.size());
    all.add(capability);
    all.addAll(fallbackCapabilities);
    return all;
  }

  /** This request as JSON, as stores keep it. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("type", type);
    node.set("payload", payload);
    node.put("capability", capability);
    node.set("fallbackCapabilities", Json.MAPPER.valueToTree(fallbackCapabilities));
    node.put("priority", priority);
    node.put("maxRetries", maxRetries);
    node.put("timeoutMs", timeoutMs);
    node.put("deduplicationKey", deduplicationKey);
    node.put("clientId", clientId);
    node.put("submittedBy", submittedBy);
    if (!routing.isAny()) {
      node.put("preferHub", routing.preferHub());
      node.put("region", routing.region());
      node.set("labels", Json.MAPPER.valueToTree(routing.labels()));
    }
    return node;
  }

  /** Reads {@link #toJson}; older stores wrote {@code owner} for {@code submittedBy}. */
  public static TaskRequest fromJson(JsonNode node) {
    List<String> fallbacks = new ArrayList<>();
    node.path("fallbackCapabilities").forEach(c -> fallbacks.add(c.asText()));
    return new TaskRequest(
        node.path("type").asText(),
        node.get("payload"),
        node.path("capability").asText(),
        fallbacks,
        node.path("priority").asInt(),
        node.path("maxRetries").asInt(),
        node.path("timeoutMs").asLong(),
        text(node, "deduplicationKey"),
        text(node, "clientId"),
        node.has("submittedBy") ? text(node, "submittedBy") : text(node, "owner"),
        routing(node));
  }

  private static TaskRouting routing(JsonNode node) {
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (java.util.Map.Entry<String, JsonNode> label : node.path("labels").properties()) {
      labels.put(label.getKey(), label.getValue().asText());
    }
    return new TaskRouting(text(node, "preferHub"), text(node, "region"), labels);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be 1-128 characters of letters, digits and :._/@-"
              + " starting with a letter or digit, got "
              + (value == null ? "nothing" : "'" + value + "'"));
    }
  }
}
