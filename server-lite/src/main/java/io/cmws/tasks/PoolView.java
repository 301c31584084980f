package io.cmws.tasks;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A federated hub as introspection shows it: identity, health, room and what it runs. */
public record PoolView(
    String name,
    String hubId,
    boolean online,
    String health,
    String region,
    Map<String, String> labels,
    List<String> capabilities,
    int priority,
    int weight,
    int freeSlots,
    int connectedWorkers,
    int activeWorkers,
    Double latencyMs,
    long lastReportMillis,
    List<String> running) {

  static PoolView of(WorkerSlot slot) {
    Pool pool = slot.pool;
    return new PoolView(
        pool.name,
        pool.hubId,
        pool.online,
        pool.online ? pool.health.wireName() : PoolHealth.OFFLINE.wireName(),
        pool.region,
        pool.labels,
        slot.capabilities,
        pool.priority,
        pool.weight,
        pool.free(slot.held.size()),
        pool.connectedWorkers,
        pool.activeWorkers,
        Double.isNaN(pool.latencyMs) ? null : pool.latencyMs,
        pool.lastReportMillis,
        List.copyOf(slot.held.keySet()));
  }

  /**
   * A hub's own room for work as it tells its parent: every capability of its workers and pools,
   * their free slots, and (for claude-mem's fields) its workers and the busy ones.
   */
  public record Capacity(
      List<String> capabilities, int freeSlots, int connectedWorkers, int activeWorkers) {}

  static Capacity capacity(Collection<WorkerSlot> slots) {
    TreeSet<String> capabilities = new TreeSet<>();
    int free = 0;
    int workers = 0;
    int active = 0;
    for (WorkerSlot slot : slots) {
      if (slot.pool != null && !slot.pool.online) {
        continue;
      }
      capabilities.addAll(slot.capabilities);
      boolean open = !slot.draining && !slot.suspect;
      if (slot.pool == null) {
        workers++;
        active += slot.held.isEmpty() ? 0 : 1;
        free += open ? Math.max(0, slot.concurrency - slot.held.size()) : 0;
      } else {
        workers += slot.pool.connectedWorkers;
        active += slot.pool.activeWorkers;
        free += open ? slot.pool.free(slot.held.size()) : 0;
      }
    }
    return new Capacity(List.copyOf(capabilities), free, workers, active);
  }
}
