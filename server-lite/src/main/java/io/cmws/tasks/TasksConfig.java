package io.cmws.tasks;

import java.time.Duration;

/**
 * Task queue settings: the waiting limit (submissions above it are refused), how many finished
 * tasks are kept for inspection, per-type defaults, and how often leases and retries are checked.
 */
public record TasksConfig(int maxWaiting, int maxFinished, TaskDefaults defaults, Duration tick) {
  public static final int DEFAULT_MAX_WAITING = 10_000;
  public static final int DEFAULT_MAX_FINISHED = 100_000;
  public static final Duration DEFAULT_TICK = Duration.ofMillis(100);

  public TasksConfig {
    if (maxWaiting < 1) {
      throw new IllegalArgumentException(
          "the waiting-task limit must be at least 1, got " + maxWaiting);
    }
    if (maxFinished < 0) {
      throw new IllegalArgumentException(
          "finished tasks kept must be 0 or more, got " + maxFinished);
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("task tick must be positive, got " + tick);
    }
  }

  public static TasksConfig standard() {
    return new TasksConfig(
        DEFAULT_MAX_WAITING, DEFAULT_MAX_FINISHED, TaskDefaults.reference(), DEFAULT_TICK);
  }

  public TasksConfig withMaxWaiting(int limit) {
    return new TasksConfig(limit, maxFinished, defaults, tick);
  }

  public TasksConfig withDefaults(TaskDefaults newDefaults) {
    return new TasksConfig(maxWaiting, maxFinished, newDefaults, tick);
  }

  public TaskQueue newQueue() {
    return new InMemoryTaskQueue(defaults, maxWaiting, maxFinished);
  }
}
