package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The queue's mutable record of one task; guarded by the queue's lock. */
final class TaskEntry {
  final String id;
  final TaskRequest request;
  final long seq;
  final long createdAt;
  TaskState state = TaskState.PENDING;
  int attempt;
  String workerId;
  Long assignedAt;
  Long completedAt;

  /** Set while the task waits for a retry; null while it waits in the capability queues. */
  Long retryAfter;

  long leaseUntil;
  JsonNode result;
  String error;

  /**
   * Bumped whenever the task enters or leaves the waiting queues; older queue references are stale.
   */
  int version;

  TaskEntry(String id, TaskRequest request, long seq, long createdAt) {
    this.id = id;
    this.request = request;
    this.seq = seq;
    this.createdAt = createdAt;
  }

  /** The required capability first, then the fallbacks. */
  List<String> capabilities() {
    return request.capabilities();
  }

  boolean isWaiting() {
    return state == TaskState.PENDING && retryAfter == null;
  }

  StoredTask stored() {
    return new StoredTask(snapshot(), seq);
  }

  static TaskEntry restored(StoredTask stored) {
    Task task = stored.task();
    TaskEntry entry = new TaskEntry(task.id(), task.request(), stored.seq(), task.createdAt());
    entry.state = task.state();
    entry.attempt = task.attempt();
    entry.workerId = task.workerId();
    entry.assignedAt = task.assignedAt();
    entry.completedAt = task.completedAt();
    entry.retryAfter = task.retryAfter();
    entry.result = task.result();
    entry.error = task.error();
    return entry;
  }

  Task snapshot() {
    return new Task(
        id,
        request,
        state,
        attempt,
        workerId,
        createdAt,
        assignedAt,
        completedAt,
        retryAfter,
        result,
        error);
  }
}
