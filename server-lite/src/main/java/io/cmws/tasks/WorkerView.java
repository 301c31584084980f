package io.cmws.tasks;

import java.util.List;

/** A registered worker as introspection shows it: what it can do and what it runs. */
public record WorkerView(
    String id,
    List<String> capabilities,
    int concurrency,
    List<String> running,
    boolean draining,
    boolean suspect) {

  static WorkerView of(WorkerSlot slot) {
    return new WorkerView(
        slot.id(),
        slot.capabilities,
        slot.concurrency,
        List.copyOf(slot.held.keySet()),
        slot.draining,
        slot.suspect);
  }
}
