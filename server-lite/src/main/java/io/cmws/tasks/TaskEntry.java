package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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
    List<String> all = new ArrayList<>(1 + request.fallbackCapabilities().size());
    all.add(request.capability());
    all.addAll(request.fallbackCapabilities());
    return all;
  }

  boolean isWaiting() {
    return state == TaskState.PENDING && retryAfter == null;
  }

  StoredTask stored() {
    return new StoredTask(
        id,
        seq,
        request.type(),
        request.payload(),
        request.capability(),
        request.fallbackCapabilities(),
        request.priority(),
        request.maxRetries(),
        request.timeoutMillis(),
        request.deduplicationKey(),
        request.clientId(),
        request.owner(),
        state.wireName(),
        attempt,
        workerId,
        createdAt,
        assignedAt,
        completedAt,
        retryAfter,
        result,
        error);
  }

  static TaskEntry restored(StoredTask stored) {
    TaskRequest request =
        new TaskRequest(
            stored.type(),
            stored.payload(),
            stored.capability(),
            stored.fallbackCapabilities() == null
                ? java.util.List.of()
                : stored.fallbackCapabilities(),
            stored.priority(),
            stored.maxRetries(),
            stored.timeoutMs(),
            stored.deduplicationKey(),
            stored.clientId(),
            stored.owner());
    TaskEntry entry = new TaskEntry(stored.id(), request, stored.seq(), stored.createdAt());
    entry.state = TaskState.fromWireName(stored.state());
    entry.attempt = stored.attempt();
    entry.workerId = stored.workerId();
    entry.assignedAt = stored.assignedAt();
    entry.completedAt = stored.completedAt();
    entry.retryAfter = stored.retryAfter();
    entry.result = stored.result();
    entry.error = stored.error();
    return entry;
  }

  Task snapshot() {
    return new Task(
        id,
        request.type(),
        state.wireName(),
        request.capability(),
        request.fallbackCapabilities(),
        request.priority(),
        request.maxRetries(),
        attempt,
        request.timeoutMillis(),
        workerId,
        request.clientId(),
        request.owner(),
        request.deduplicationKey(),
        createdAt,
        assignedAt,
        completedAt,
        retryAfter,
        request.payload(),
        result,
        error);
  }
}
