package io.cmws.transport;

import java.util.Locale;

/** What happens to a connection whose outbox is full. */
public enum SlowConsumerPolicy {
  /** Close it with 4008 "slow consumer" (the default). */
  DISCONNECT,
  /**
   * Drop its oldest queued events to make room; it sees a gap in {@code seq} and can recover it.
   */
  DROP_OLDEST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static SlowConsumerPolicy parse(String text) {
    for (SlowConsumerPolicy policy : values()) {
      if (policy.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "slow-consumer policy must be disconnect or drop-oldest, got '" + text + "'");
  }
}
