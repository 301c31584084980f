package io.cmws.tasks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per task type defaults: claude-mem's priorities, attempt counts, timeouts and backoff
 * (reference-protocol §5.2, §5.7, §5.8) for its task types, and the reference's default policy for
 * every other type. Overrides replace single types.
 */
public final class TaskDefaults {
  public static final int DEFAULT_PRIORITY = 50;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final long DEFAULT_TIMEOUT_MS = 300_000;
  public static final RetryPolicy DEFAULT_RETRY =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);

  private static final Map<String, Integer> PRIORITIES =
      Map.of(
          "observation",
          50,
          "summarize",
          40,
          "embedding",
          30,
          "compression",
          40,
          "context-generate",
          60,
          "claude-md",
          20,
          "semantic-search",
          70);
  private static final Map<String, Integer> MAX_RETRIES = Map.of("semantic-search", 1);
  private static final Map<String, Long> TIMEOUTS = Map.of("claude-md", 600_000L);
  private static final Map<String, RetryPolicy> REFERENCE_RETRY =
      Map.of(
          "observation", new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 0.1),
          "summarize", new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.1),
          "claude-md", new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.1),
          "context-generate", new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.1),
          "embedding", new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(120), 0.2),
          "qdrant-sync", new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(300), 0.3),
          "semantic-search", new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 0.1));

  private final RetryPolicy fallbackRetry;
  private final Map<String, RetryPolicy> retry;

  public TaskDefaults(RetryPolicy fallbackRetry, Map<String, RetryPolicy> overrides) {
    this.fallbackRetry = fallbackRetry;
    this.retry = new HashMap<>(REFERENCE_RETRY);
    this.retry.putAll(overrides);
  }

  public static TaskDefaults reference() {
    return new TaskDefaults(DEFAULT_RETRY, Map.of());
  }

  public int priority(String type) {
    return PRIORITIES.getOrDefault(type, DEFAULT_PRIORITY);
  }

  public int maxRetries(String type) {
    return MAX_RETRIES.getOrDefault(type, DEFAULT_MAX_RETRIES);
  }

  public long timeoutMs(String type) {
    return TIMEOUTS.getOrDefault(type, DEFAULT_TIMEOUT_MS);
  }

  public RetryPolicy retry(String type) {
    return retry.getOrDefault(type, fallbackRetry);
  }
}
