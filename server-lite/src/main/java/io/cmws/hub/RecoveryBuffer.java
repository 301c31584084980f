package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds a connection's live events while its replay is being put together, so that the replay goes
 * out first and live events follow with no gap and no duplicate. Publishers that find it active
 * hand their event here instead of to the connection.
 */
final class RecoveryBuffer {
  record Held(EventMessage event, String pattern) {}

  private final List<Held> held = new ArrayList<>();
  private boolean active = true;

  /** Keeps the event if still recovering; false means deliver it directly. */
  synchronized boolean hold(EventMessage event, String pattern) {
    if (!active) {
      return false;
    }
    held.add(new Held(event, pattern));
    return true;
  }

  /**
   * Runs {@code finish} over what was held (no publisher can slip in meanwhile), then stops
   * holding.
   */
  synchronized void finish(Consumer<List<Held>> finish) {
    try {
      finish.accept(held);
    } finally {
      active = false;
      held.clear();
    }
  }
}
