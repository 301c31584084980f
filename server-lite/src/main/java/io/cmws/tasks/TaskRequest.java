package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated submission. {@code maxRetries} counts attempts in total, as in claude-mem: 3 means
 * the first try and two retries. {@code owner} is who may cancel it (a token name or "local").
 */
public record TaskRequest(
    String type,
    JsonNode payload,
    String capability,
    List<String> fallbackCapabilities,
    int priority,
    int maxRetries,
    long timeoutMillis,
    String deduplicationKey,
    String clientId,
    String owner) {

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
    if (timeoutMillis < MIN_TIMEOUT_MS || timeoutMillis > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "timeoutMs must be " + MIN_TIMEOUT_MS + ".." + MAX_TIMEOUT_MS + ", got " + timeoutMillis);
    }
    payload = payload == null ? NullNode.getInstance() : payload;
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
      Long timeoutMillis,
      String deduplicationKey,
      String clientId,
      String owner) {
    requireName("task type", type);
    return new TaskRequest(
        type,
        payload,
        capability == null ? type : capability,
        fallbacks == null ? List.of() : fallbacks,
        priority == null ? defaults.priority(type) : priority,
        maxRetries == null ? defaults.maxRetries(type) : maxRetries,
        timeoutMillis == null ? defaults.timeoutMillis(type) : timeoutMillis,
        deduplicationKey,
        clientId,
        owner);
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
