package io.cmws.tasks;

import java.util.Map;

/**
 * Who a federated hub is: its name (the pool is {@code hub:NAME}), the id of its current
 * registration, where it runs, and the priority and weight its token gives it (null: the policy's
 * default for its name).
 */
public record PoolIdentity(
    String name,
    String hubId,
    String region,
    Map<String, String> labels,
    Integer priority,
    Integer weight) {
  public PoolIdentity {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
