package io.cmws.tasks;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registered workers and, per capability, those with a free slot, in round-robin order. Guarded by
 * the dispatcher's lock.
 */
final class WorkerSlots {
  private final Map<String, WorkerSlot> byId = new HashMap<>();
  private final Map<String, LinkedHashSet<WorkerSlot>> idleByCapability = new HashMap<>();

  void add(WorkerSlot slot) {
    byId.put(slot.id(), slot);
    refresh(slot);
  }

  WorkerSlot remove(String workerId) {
    WorkerSlot slot = byId.remove(workerId);
    if (slot != null) {
      markBusy(slot);
    }
    return slot;
  }

  WorkerSlot get(String workerId) {
    return byId.get(workerId);
  }

  Collection<WorkerSlot> all() {
    return byId.values();
  }

  /** Capabilities with at least one free slot. */
  Set<String> idleCapabilities() {
    return idleByCapability.keySet();
  }

  /** A free worker with {@code capability}, else with one of {@code fallbacks}; null if none. */
  String pick(String capability, List<String> fallbacks) {
    WorkerSlot slot = firstIdle(capability);
    for (int i = 0; slot == null && i < fallbacks.size(); i++) {
      slot = firstIdle(fallbacks.get(i));
    }
    return slot == null ? null : slot.id();
  }

  /** Re-files a worker after its load changed: to the back of the line if still free, else out. */
  void refresh(WorkerSlot slot) {
    markBusy(slot);
    if (slot.hasFreeSlot() && byId.get(slot.id()) == slot) {
      for (String capability : slot.capabilities) {
        idleByCapability.computeIfAbsent(capability, c -> new LinkedHashSet<>()).add(slot);
      }
    }
  }

  private void markBusy(WorkerSlot slot) {
    for (String capability : slot.capabilities) {
      Set<WorkerSlot> idle = idleByCapability.get(capability);
      if (idle != null && idle.remove(slot) && idle.isEmpty()) {
        idleByCapability.remove(capability);
      }
    }
  }

  private WorkerSlot firstIdle(String capability) {
    LinkedHashSet<WorkerSlot> idle = idleByCapability.get(capability);
    return idle == null || idle.isEmpty() ? null : idle.iterator().next();
  }
}
