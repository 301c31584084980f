package io.cmws.tasks;

import java.util.Map;

/**
 * Where a task would rather run: a hub by name, a region, labels. As in claude-mem's router each
 * preference narrows the candidate pools only when some of them match it, so a preference never
 * leaves a task without a pool.
 */
public record TaskRouting(String preferHub, String region, Map<String, String> labels) {
  public static final TaskRouting ANY = new TaskRouting(null, null, Map.of());

  public TaskRouting {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public boolean isAny() {
    return preferHub == null && region == null && labels.isEmpty();
  }
}
