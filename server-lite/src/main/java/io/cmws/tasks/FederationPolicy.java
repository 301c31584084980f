package io.cmws.tasks;

import java.util.Map;

/**
 * How a hub shares work with federated hubs: the strategy that picks a pool, this hub's own pool
 * (claude-mem's built-in hub has priority 100, federated ones 50), and per-hub priority and weight
 * overrides by hub name.
 */
public record FederationPolicy(
    FederationStrategy strategy,
    String localName,
    String region,
    Map<String, String> labels,
    Map<String, Integer> priorities,
    Map<String, Integer> weights) {
  public static final int LOCAL_PRIORITY = 100;
  public static final int HUB_PRIORITY = 50;
  public static final int WEIGHT = 100;

  public FederationPolicy {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
    weights = weights == null ? Map.of() : Map.copyOf(weights);
  }

  public static FederationPolicy standard() {
    return new FederationPolicy(
        FederationStrategy.PRIORITY, "local", null, Map.of(), Map.of(), Map.of());
  }

  public FederationPolicy withStrategy(FederationStrategy newStrategy) {
    return new FederationPolicy(newStrategy, localName, region, labels, priorities, weights);
  }

  public FederationPolicy withPriorities(Map<String, Integer> newPriorities) {
    return new FederationPolicy(strategy, localName, region, labels, newPriorities, weights);
  }

  public FederationPolicy withWeights(Map<String, Integer> newWeights) {
    return new FederationPolicy(strategy, localName, region, labels, priorities, newWeights);
  }

  /** This hub's name, region and labels: what it registers upstream and its own pool shows. */
  public FederationPolicy withIdentity(
      String name, String newRegion, Map<String, String> newLabels) {
    return new FederationPolicy(strategy, name, newRegion, newLabels, priorities, weights);
  }

  int priorityOf(String hubName) {
    return priorities.getOrDefault(hubName, HUB_PRIORITY);
  }

  int weightOf(String hubName) {
    return weights.getOrDefault(hubName, WEIGHT);
  }
}
