package io.cmws.tasks;

import java.util.Locale;

/** How the dispatcher picks among the pools that can run a task (claude-mem's four, §6.3). */
public enum FederationStrategy {
  /** The highest priority plus a health bonus (healthy +100, degraded +50). */
  PRIORITY,
  /** At random, in proportion to weight; a degraded pool counts half. */
  WEIGHTED,
  /** In turn, per capability. */
  ROUND_ROBIN,
  /** The most free slots, then the lowest latency. */
  LEAST_LOADED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static FederationStrategy parse(String name) {
    for (FederationStrategy strategy : values()) {
      if (strategy.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(
        "unknown federation strategy '"
            + name
            + "'; use priority, weighted, round-robin or least-loaded");
  }
}
