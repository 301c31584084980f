package io.cmws.tasks;

import io.cmws.protocol.ServerFrame;
import java.util.Optional;

/**
 * Fills free worker and pool slots from the queue: claims the best waiting task that fits a free
 * slot, lets the router pick the pool, and sends the assignment. Not thread-safe: the dispatcher's
 * lock guards it.
 */
final class TaskAssigner {
  private final TaskQueue queue;
  private final WorkerSlots workers;
  private final PoolRouter router;
  private final TaskEvents events;

  /** Chooses by the whole request: its capabilities, then its pool preferences. */
  private final TaskQueue.WorkerPicker picker =
      new TaskQueue.WorkerPicker() {
        @Override
        public String pick(String capability, java.util.List<String> fallbacks) {
          return pick(
              new TaskRequest(
                  capability, null, capability, fallbacks, 0, 1, 1000, null, null, null));
        }

        @Override
        public String pick(TaskRequest request) {
          return workers.pick(request, router);
        }
      };

  TaskAssigner(TaskQueue queue, WorkerSlots workers, PoolRouter router, TaskEvents events) {
    this.queue = queue;
    this.workers = workers;
    this.router = router;
    this.events = events;
  }

  /** Assigns until no waiting task fits a free slot. */
  void fillFreeSlots(long now) {
    while (!workers.idleCapabilities().isEmpty()) {
      Optional<TaskQueue.Claimed> claimed = queue.claim(workers.idleCapabilities(), picker, now);
      if (claimed.isEmpty()) {
        return;
      }
      assign(claimed.get());
    }
  }

  private void assign(TaskQueue.Claimed task) {
    WorkerSlot slot = workers.get(task.workerId());
    slot.held.put(task.taskId(), task.attempt());
    String capability = task.capability();
    if (slot.pool != null) {
      slot.pool.sentSinceReport++;
      capability = slot.pool.matchedCapability(task, slot.capabilities);
    }
    workers.refresh(slot);
    slot.peer.send(
        new ServerFrame.TaskAssign(
            new ServerFrame.AssignedTask(
                task.taskId(),
                task.type(),
                task.payload(),
                task.attempt(),
                task.timeoutMs(),
                capability,
                task.priority()),
            task.type()));
    events.assigned(task);
  }
}
