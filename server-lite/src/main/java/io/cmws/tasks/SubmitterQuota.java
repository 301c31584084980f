package io.cmws.tasks;

import java.util.HashMap;
import java.util.Map;

/**
 * Unfinished tasks per submitter (a token, or an address), submitted through this hub, and the
 * limit on them. Not thread-safe: the dispatcher's lock guards it.
 */
final class SubmitterQuota {
  private int max = Integer.MAX_VALUE;
  private final Map<String, String> submitterOf = new HashMap<>();
  private final Map<String, Integer> unfinished = new HashMap<>();

  void limit(int newMax) {
    this.max = newMax;
  }

  /** Refuses with {@link SubmitterLimitException} if {@code submitter} is full. */
  void requireRoom(String submitter) {
    if (submitter != null && unfinished.getOrDefault(submitter, 0) >= max) {
      throw new SubmitterLimitException(submitter, max);
    }
  }

  void taken(String taskId, String submitter) {
    if (submitter != null) {
      submitterOf.put(taskId, submitter);
      unfinished.merge(submitter, 1, Integer::sum);
    }
  }

  /** The task finished (or another hub says so): one more its submitter may send. */
  void released(String taskId) {
    String submitter = submitterOf.remove(taskId);
    if (submitter != null) {
      unfinished.computeIfPresent(submitter, (k, n) -> n <= 1 ? null : n - 1);
    }
  }
}
