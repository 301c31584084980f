package io.cmws.tasks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One registered worker as the dispatcher sees it; guarded by the dispatcher's lock. */
final class WorkerSlot {
  final TaskPeer peer;
  final List<String> capabilities;
  final int concurrency;

  /** Task id → the attempt this worker holds. */
  final Map<String, Integer> held = new HashMap<>();

  /** Tasks cancelled while held: the worker's late reply about them is expected, not an error. */
  final Set<String> cancelled = new HashSet<>();

  boolean draining;

  /** Let a lease expire: gets nothing new until a heartbeat shows it is alive again. */
  boolean suspect;

  WorkerSlot(TaskPeer peer, List<String> capabilities, int concurrency) {
    this.peer = peer;
    this.capabilities = List.copyOf(capabilities);
    this.concurrency = concurrency;
  }

  String id() {
    return peer.id();
  }

  boolean hasFreeSlot() {
    return !draining && !suspect && held.size() < concurrency;
  }
}
