package io.cmws.tasks;

import java.util.Locale;

/** Where a task is in its life. {@code pending} covers waiting and waiting-for-retry. */
public enum TaskState {
  PENDING,
  ASSIGNED,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static TaskState fromWireName(String name) {
    for (TaskState state : values()) {
      if (state.wireName().equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "unknown task state '"
            + name
            + "'; known: pending, assigned, completed, failed, cancelled");
  }
}
