package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The task queue: what is waiting, who holds what, and every state change. Implementations are
 * thread-safe and never block on I/O while holding their lock. Every call that concerns a running
 * task names the attempt it means, so a late or duplicate message about an earlier attempt can
 * never change the task (fencing).
 */
public interface TaskQueue {

  /** Queues a task; refuses with {@link QueueFullException} above the waiting limit. */
  Submitted submit(TaskRequest request, long now);

  /**
   * Assigns the best waiting task (highest priority, then oldest) whose required capability or one
   * of whose fallbacks is in {@code capabilities}; {@code picker} chooses the worker. Tasks that
   * cannot be placed are skipped, never block others.
   */
  Optional<Claimed> claim(Set<String> capabilities, WorkerPicker picker, long now);

  /** The worker of {@code attempt} finished it. */
  /** {@code ranBy}: who really ran it (a federated hub's worker), to record; null keeps it. */
  Transition complete(String taskId, int attempt, JsonNode result, String ranBy, long now);

  default Transition complete(String taskId, int attempt, JsonNode result, long now) {
    return complete(taskId, attempt, result, null, now);
  }

  /**
   * The worker of {@code attempt} failed it; retries with backoff unless final or not retryable.
   */
  Transition fail(
      String taskId, int attempt, String error, boolean retryable, String ranBy, long now);

  default Transition fail(String taskId, int attempt, String error, boolean retryable, long now) {
    return fail(taskId, attempt, error, retryable, null, now);
  }

  /**
   * The attempt was lost (lease expired, worker gone): it counts, and the task waits again at once.
   */
  Transition abandon(String taskId, int attempt, String reason, long now);

  /**
   * The pool of {@code attempt} could not take it after all (a federated hub with no free worker):
   * it waits again at once and the attempt does not count.
   */
  Transition decline(String taskId, int attempt, long now);

  /**
   * Extends the lease of {@code attempt} to now + the task's timeout; false if it is not current.
   */
  boolean extendLease(String taskId, int attempt, long now);

  Transition cancel(String taskId, String reason, long now);

  /** Assigned attempts whose lease ran out by {@code now}; each is reported once. */
  List<Lease> expiredLeases(long now);

  /** Moves retries that are due back into the waiting queues; true if any moved. */
  boolean promoteDue(long now);

  Optional<Task> get(String taskId);

  /** Tasks in {@code state} (any state if null), newest first, at most {@code limit}. */
  List<Task> list(TaskState state, int limit);

  /** Tasks waiting or waiting for a retry. */
  int waiting();

  /** Forgets tasks that finished before {@code cutoff} (epoch ms); returns how many. */
  long prune(long cutoff);

  /** Chooses a worker for a claimed task; called under the queue's lock, must not block. */
  @FunctionalInterface
  interface WorkerPicker {
    /** A worker id having {@code capability}, else one of {@code fallbacks}; null if none. */
    String pick(String capability, List<String> fallbacks);

    /**
     * A worker (or pool) id for the whole request, e.g. with its pool preferences; by default by
     * capability alone.
     */
    default String pick(TaskRequest request) {
      return pick(request.capability(), request.fallbackCapabilities());
    }
  }

  record Submitted(String taskId, boolean deduplicated) {}

  record Claimed(
      String taskId,
      String type,
      JsonNode payload,
      String capability,
      int attempt,
      long timeoutMs,
      String workerId,
      int priority,
      List<String> fallbacks) {}

  record Lease(String taskId, int attempt, String workerId) {}

  /** What a call did, for the events it causes. */
  record Transition(
      Kind kind,
      String taskId,
      String type,
      String workerId,
      int attempt,
      String error,
      long delayMs) {

    public enum Kind {
      COMPLETED,
      /** Failed an attempt; waits {@code delayMs} before the next. */
      RETRYING,
      /** Lost an attempt; waits again at once. */
      REQUEUED,
      /** Handed back unstarted; waits again at once, the attempt not counted. */
      DECLINED,
      /** No attempts left, or not retryable: dead-lettered. */
      FAILED,
      CANCELLED,
      /** The attempt is not the current one, or the task is not running: nothing changed. */
      STALE,
      /** Already finished: nothing changed. */
      FINISHED,
      UNKNOWN
    }

    public boolean changed() {
      return kind != Kind.STALE && kind != Kind.FINISHED && kind != Kind.UNKNOWN;
    }

    static Transition of(Kind kind, String taskId) {
      return new Transition(kind, taskId, null, null, 0, null, 0);
    }
  }

  /**
   * The queue's storage cannot be reached (a shared queue whose Redis is down); nothing changed.
   */
  final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The waiting limit is reached; the submission was refused, nothing was queued. */
  final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(int limit) {
      super("Task queue full: " + limit + " tasks are waiting; try again later");
    }
  }
}
