package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskQueue.Transition;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Moves tasks between the queue and this hub's workers: fills every free slot whenever tasks wait,
 * checks that task reports come from the worker holding the current attempt, extends leases on
 * heartbeats and progress, and turns lost workers and expired leases into new attempts.
 *
 * <p>Thread-safe: one lock, taken by transport threads (worker and client frames) and the hub's
 * timer (leases, retries). The lock order is dispatcher, then queue, then channel locks.
 */
public final class TaskDispatcher {
  static final String LEASE_EXPIRED = "lease expired";
  private final TaskQueue queue;
  private final TaskEvents events;
  private final Clock clock;
  private final WorkerSlots workers = new WorkerSlots();
  private final Map<String, TaskPeer> watchers = new HashMap<>();
  private final Map<String, Long> outcomes = new TreeMap<>();
  private TaskSignals signals = TaskSignals.NONE;
  private final SubmitterQuota quota = new SubmitterQuota();

  public TaskDispatcher(TaskQueue queue, ChannelPublisher publisher, Clock clock) {
    this.queue = queue;
    this.events = new TaskEvents(publisher);
    this.clock = clock;
  }

  public TaskQueue queue() {
    return queue;
  }

  /**
   * At most {@code max} unfinished tasks per submitter (see {@link #submit(TaskRequest, TaskPeer,
   * String)}).
   */
  public synchronized void limitPerSubmitter(int max) {
    quota.limit(max);
  }

  /** How this dispatcher tells other hubs' dispatchers about shared tasks. */
  public synchronized void signals(TaskSignals newSignals) {
    this.signals = newSignals;
  }

  // ---- what other hubs sharing the queue signal

  /** Tasks may be waiting: fill free slots. */
  public synchronized void remoteWaiting() {
    dispatch();
  }

  /** A task finished elsewhere: its watcher here gets the result. */
  public synchronized void remoteFinished(String taskId) {
    quota.released(taskId);
    TaskPeer watcher = watchers.get(taskId);
    if (watcher == null) {
      return;
    }
    Optional<Task> task = queue.get(taskId);
    if (task.isPresent() && task.get().state().isFinished()) {
      watchers.remove(taskId);
      Task t = task.get();
      watcher.send(
          new ServerFrame.TaskResult(
              taskId, t.state().wireName(), t.result(), t.error(), t.attempt()));
    }
  }

  /**
   * Signals may have been missed: answer watchers whose tasks finished meanwhile, and look for
   * work.
   */
  public synchronized void remoteMissedSome() {
    for (String taskId : List.copyOf(watchers.keySet())) {
      remoteFinished(taskId);
    }
    dispatch();
  }

  /**
   * Another hub cancelled a task or expired its lease; if one of our workers holds it, it stops.
   */
  public synchronized void remoteTakenAway(
      String taskId, String workerId, int attempt, String reason) {
    WorkerSlot slot = workers.get(workerId);
    if (slot == null || !slot.held.remove(taskId, attempt)) {
      return; // not ours, or we hold a newer attempt of it
    }
    if (reason.startsWith(LEASE_EXPIRED)) {
      slot.suspect = true; // a late report of this attempt is refused with not_owner
    } else {
      slot.cancelled.add(taskId);
    }
    slot.peer.send(new ServerFrame.TaskCancel(taskId, reason));
    workers.refresh(slot);
    dispatch();
  }

  /** Queues a task; a {@code watcher} gets {@code task:result} when it finishes. */
  public synchronized TaskQueue.Submitted submit(TaskRequest request, TaskPeer watcher) {
    return submit(request, watcher, null);
  }

  /**
   * Queues a task for {@code submitter} (a token, or an address; null: unlimited), who may have at
   * most the per-submitter limit unfinished; above it {@link SubmitterLimitException}.
   */
  public synchronized TaskQueue.Submitted submit(
      TaskRequest request, TaskPeer watcher, String submitter) {
    quota.requireRoom(submitter);
    TaskQueue.Submitted submitted = queue.submit(request, clock.millis());
    if (!submitted.deduplicated()) {
      quota.taken(submitted.taskId(), submitter);
    }
    if (!submitted.deduplicated()) {
      events.queued(submitted.taskId(), request.type());
      outcomes.merge("submitted", 1L, Long::sum);
    }
    if (watcher != null) {
      watchers.put(submitted.taskId(), watcher);
    }
    dispatch();
    if (!submitted.deduplicated()) {
      signals.waiting();
    }
    return submitted;
  }

  public synchronized void workerRegistered(
      TaskPeer worker, List<String> capabilities, int concurrency) {
    workers.add(new WorkerSlot(worker, capabilities, concurrency));
    dispatch();
  }

  /** The worker finishes what it has but takes nothing new. */
  public synchronized void workerDraining(TaskPeer worker) {
    WorkerSlot slot = workers.get(worker.id());
    if (slot != null) {
      slot.draining = true;
      workers.refresh(slot);
    }
  }

  /** The worker's connection closed: each task it held loses that attempt (claude-mem's B10). */
  public synchronized void workerGone(TaskPeer worker) {
    WorkerSlot slot = workers.remove(worker.id());
    if (slot == null) {
      return;
    }
    long now = clock.millis();
    for (Map.Entry<String, Integer> held : slot.held.entrySet()) {
      finished(
          queue.abandon(
              held.getKey(), held.getValue(), "Worker " + worker.id() + " disconnected", now));
    }
    dispatch();
  }

  /** A heartbeat extends the lease of every task the worker holds. */
  public synchronized void heartbeat(TaskPeer worker) {
    WorkerSlot slot = workers.get(worker.id());
    if (slot != null) {
      long now = clock.millis();
      slot.held.forEach((taskId, attempt) -> queue.extendLease(taskId, attempt, now));
      if (slot.suspect) {
        slot.suspect = false;
        workers.refresh(slot);
        dispatch();
      }
    }
  }

  public synchronized void progress(
      TaskPeer worker, String taskId, Double progress, String message) {
    WorkerSlot slot = requireWorker(worker);
    Integer attempt = slot.held.get(taskId);
    if (attempt == null) {
      if (!slot.cancelled.contains(taskId)) {
        throw notOwner(taskId);
      }
      return;
    }
    queue.extendLease(taskId, attempt, clock.millis());
    events.progress(taskId, worker.id(), progress, message);
  }

  public synchronized void complete(TaskPeer worker, String taskId, JsonNode result) {
    report(worker, taskId, attempt -> queue.complete(taskId, attempt, result, clock.millis()));
  }

  public synchronized void fail(TaskPeer worker, String taskId, String error, boolean retryable) {
    report(
        worker, taskId, attempt -> queue.fail(taskId, attempt, error, retryable, clock.millis()));
  }

  /** Cancels for a client; a running attempt's worker is told and its slot freed at once. */
  public synchronized Transition cancel(String taskId, String reason) {
    Transition transition = queue.cancel(taskId, reason, clock.millis());
    if (transition.kind() == Transition.Kind.CANCELLED && transition.workerId() != null) {
      WorkerSlot slot = workers.get(transition.workerId());
      if (slot != null && slot.held.remove(taskId) != null) {
        slot.cancelled.add(taskId);
        slot.peer.send(new ServerFrame.TaskCancel(taskId, reason));
        workers.refresh(slot);
      } else {
        signals.takenAway(
            taskId, transition.workerId(), transition.attempt(), reason); // on another hub's worker
      }
    }
    finished(transition);
    dispatch();
    return transition;
  }

  /** Timer work: due retries wait again, expired leases lose their attempt. */
  public synchronized void tick() {
    long now = clock.millis();
    if (queue.promoteDue(now)) {
      signals.waiting();
    }
    for (TaskQueue.Lease lease : queue.expiredLeases(now)) {
      WorkerSlot slot = workers.get(lease.workerId());
      boolean ours = slot != null && slot.held.remove(lease.taskId(), lease.attempt());
      if (ours) {
        // a late report of this attempt is refused with not_owner, unlike a cancelled task's
        slot.peer.send(new ServerFrame.TaskCancel(lease.taskId(), LEASE_EXPIRED));
        slot.suspect = true;
        workers.refresh(slot);
      }
      Transition transition = queue.abandon(lease.taskId(), lease.attempt(), LEASE_EXPIRED, now);
      if (!ours && transition.changed() && lease.workerId() != null) {
        signals.takenAway(
            lease.taskId(),
            lease.workerId(),
            lease.attempt(),
            LEASE_EXPIRED); // another hub's, or a dead hub's
      }
      finished(transition);
    }
    dispatch();
  }

  public synchronized List<WorkerView> workerViews() {
    return workers.all().stream()
        .map(WorkerView::of)
        .sorted(Comparator.comparing(WorkerView::id))
        .toList();
  }

  /** Number of registered workers. */
  public synchronized int workerCount() {
    return workers.all().size();
  }

  /** Tasks running on this hub's workers. */
  public synchronized int runningCount() {
    return workers.all().stream().mapToInt(slot -> slot.held.size()).sum();
  }

  /**
   * How often each outcome happened: submitted, completed, retrying, requeued, failed, cancelled.
   */
  public synchronized Map<String, Long> outcomes() {
    return Map.copyOf(outcomes);
  }

  private interface Report {
    Transition apply(int attempt);
  }

  private void report(TaskPeer worker, String taskId, Report report) {
    WorkerSlot slot = requireWorker(worker);
    Integer attempt = slot.held.get(taskId);
    if (attempt == null) {
      if (slot.cancelled.remove(taskId)) {
        return; // the worker's answer to our task:cancel: expected, already accounted
      }
      throw notOwner(taskId);
    }
    slot.held.remove(taskId);
    workers.refresh(slot);
    finished(report.apply(attempt));
    dispatch();
  }

  /** Publishes a state change and, for a final one, tells the watcher. */
  private void finished(Transition transition) {
    events.transition(transition);
    if (transition.changed()) {
      outcomes.merge(transition.kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    Transition.Kind kind = transition.kind();
    if (kind == Transition.Kind.REQUEUED) {
      signals.waiting();
    }
    if (kind == Transition.Kind.COMPLETED
        || kind == Transition.Kind.FAILED
        || kind == Transition.Kind.CANCELLED) {
      quota.released(transition.taskId());
      signals.finished(transition.taskId());
      TaskPeer watcher = watchers.remove(transition.taskId());
      if (watcher != null) {
        Optional<Task> task = queue.get(transition.taskId());
        watcher.send(
            new ServerFrame.TaskResult(
                transition.taskId(),
                task.map(t -> t.state().wireName()).orElse(kind.name().toLowerCase(Locale.ROOT)),
                task.map(Task::result).orElse(null),
                transition.error(),
                transition.attempt()));
      }
    }
  }

  /** A task of a counted submitter finished: one more it may submit. */
  /** A submitter has as many unfinished tasks as it may; nothing was queued. */
  public static final class SubmitterLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SubmitterLimitException(String submitter, int limit) {
      super(
          "at most "
              + limit
              + " unfinished tasks per submitter, and "
              + submitter
              + " has that many; wait for some"
              + " to finish");
    }
  }

  /** Fills free slots until no waiting task fits any of them. */
  private void dispatch() {
    long now = clock.millis();
    while (!workers.idleCapabilities().isEmpty()) {
      Optional<TaskQueue.Claimed> claimed =
          queue.claim(workers.idleCapabilities(), workers::pick, now);
      if (claimed.isEmpty()) {
        return;
      }
      TaskQueue.Claimed task = claimed.get();
      WorkerSlot slot = workers.get(task.workerId());
      slot.held.put(task.taskId(), task.attempt());
      workers.refresh(slot);
      slot.peer.send(
          new ServerFrame.TaskAssign(
              new ServerFrame.AssignedTask(
                  task.taskId(),
                  task.type(),
                  task.payload(),
                  task.attempt(),
                  task.timeoutMs(),
                  task.capability()),
              task.type()));
      events.assigned(task);
    }
  }

  private WorkerSlot requireWorker(TaskPeer worker) {
    WorkerSlot slot = workers.get(worker.id());
    if (slot == null) {
      throw new ProtocolException(
          ErrorCode.NOT_A_WORKER, "only a registered worker can report on tasks");
    }
    return slot;
  }

  private static ProtocolException notOwner(String taskId) {
    return new ProtocolException(
        ErrorCode.NOT_OWNER,
        "task "
            + taskId
            + " is not assigned to this worker (unknown, finished, or reassigned after its lease expired)");
  }
}
