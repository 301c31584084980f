package io.cmws.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps queued frames moving: a frequent check of every connection that wrote lately. It works
 * around a race in Java-WebSocket's server (its issue #145): the selector thread drains a
 * connection and then sets the key's interest to OP_READ; a write requested in between is
 * overwritten and would wait for the next send. Each watched connection decides for itself what to
 * do; the sweeper only remembers whom to ask. {@link #watch} from any thread, {@link #sweep} on the
 * hub's timer.
 */
final class WriteDemandSweeper {

  /** A connection the sweeper asks now and then. */
  interface Watched {
    /** Re-requests a stuck write or drops an unanswered close; false once there is nothing left. */
    boolean check(long nowNanos);
  }

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

  /** Watches {@code connection} until its {@link Watched#check} says it is done. */
  void watch(Watched connection) {
    watched.add(connection);
  }

  /** Runs on a timer; cheap when nothing is pending. */
  void sweep() {
    long now = System.nanoTime();
    for (Watched connection : watched) {
      if (!connection.check(now)) {
        watched.remove(connection);
        if (connection.check(now)) {
          watched.add(connection); // a frame came in while we looked away
        }
      }
    }
  }
}
