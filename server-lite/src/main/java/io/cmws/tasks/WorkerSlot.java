package io.cmws.tasks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One registered worker, or one federated hub as a pool, as the dispatcher sees it; guarded by the
 * dispatcher's lock.
 */
final class WorkerSlot {
  final TaskPeer peer;
  List<String> capabilities;
  final int concurrency;

  /** The federated hub behind this slot; null for a worker of this hub. */
  final Pool pool;

  /** Task id → the attempt this worker holds. */
  final Map<String, Integer> held = new HashMap<>();

  /** Tasks cancelled while held: the worker's late reply about them is expected, not an error. */
  final Set<String> cancelled = new HashSet<>();

  boolean draining;

  /** Let a lease expire: gets nothing new until a heartbeat shows it is alive again. */
  boolean suspect;

  WorkerSlot(TaskPeer peer, List<String> capabilities, int concurrency) {
    this(peer, capabilities, concurrency, null);
  }

  WorkerSlot(TaskPeer peer, List<String> capabilities, int concurrency, Pool pool) {
    this.peer = peer;
    this.capabilities = List.copyOf(capabilities);
    this.concurrency = concurrency;
    this.pool = pool;
  }

  String id() {
    return peer.id();
  }

  boolean hasFreeSlot() {
    if (draining || suspect) {
      return false;
    }
    return pool == null ? held.size() < concurrency : pool.free(held.size()) > 0;
  }

  /** Whether it may get a task of {@code capability} now, capacity aside. */
  boolean takes(String capability) {
    return pool == null || !pool.declined.contains(capability);
  }
}
