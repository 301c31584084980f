package io.cmws.tasks;

import java.util.Locale;

/** A pool's health as its hub reports it; {@code unhealthy} and {@code offline} get nothing. */
public enum PoolHealth {
  HEALTHY(100),
  DEGRADED(50),
  UNHEALTHY(0),
  OFFLINE(0);

  private final int bonus;

  PoolHealth(int bonus) {
    this.bonus = bonus;
  }

  /** What the {@code priority} strategy adds to the pool's priority. */
  int bonus() {
    return bonus;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reported status; an unknown or missing one counts as healthy, as claude-mem sends it. */
  public static PoolHealth parse(String status) {
    if (status == null) {
      return HEALTHY;
    }
    for (PoolHealth health : values()) {
      if (health.wireName().equals(status.trim().toLowerCase(Locale.ROOT))) {
        return health;
      }
    }
    return HEALTHY;
  }
}
