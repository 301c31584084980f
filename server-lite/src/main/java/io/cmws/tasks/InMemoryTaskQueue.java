package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.tasks.TaskQueue.Transition.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The embedded task queue, all in memory; every method holds the one monitor briefly. Finished
 * tasks are kept for inspection up to {@code maxFinished} (oldest dropped first).
 */
public final class InMemoryTaskQueue implements TaskQueue {
  private final TaskDefaults defaults;
  private final int maxWaiting;
  private final int maxFinished;
  private final DoubleSupplier jitter;
  private final Map<String, TaskEntry> tasks = new HashMap<>();
  private final Map<String, CapabilityQueue> waitingByCapability = new HashMap<>();
  private final PriorityQueue<Delayed> delayed =
      new PriorityQueue<>(Comparator.comparingLong(Delayed::due));
  private final LeaseHeap leases = new LeaseHeap();
  private final Map<String, String> byDeduplicationKey = new HashMap<>();
  private final ArrayDeque<TaskEntry> finished = new ArrayDeque<>();
  private long nextSeq;
  private int waiting;
  private TaskJournal journal = TaskJournal.NONE;

  private record Delayed(TaskEntry entry, int version, long due) {}

  public InMemoryTaskQueue(TaskDefaults defaults, int maxWaiting, int maxFinished) {
    this(defaults, maxWaiting, maxFinished, () -> ThreadLocalRandom.current().nextDouble(-1, 1));
  }

  /** {@code jitter} yields U(-1, 1); tests pass a fixed value. */
  public InMemoryTaskQueue(
      TaskDefaults defaults, int maxWaiting, int maxFinished, DoubleSupplier jitter) {
    this.defaults = defaults;
    this.maxWaiting = maxWaiting;
    this.maxFinished = maxFinished;
    this.jitter = jitter;
  }

  /** Records every state change from now on. */
  public synchronized void journal(TaskJournal newJournal) {
    this.journal = newJournal;
  }

  /**
   * Rebuilds the queue from stored tasks after a restart. Waiting tasks wait again; a task that was
   * running lost that attempt (the hub went away under it) and waits again at once, or fails if it
   * has no attempts left; finished tasks are kept for inspection. Returns how many were requeued.
   */
  public synchronized int restore(List<StoredTask> stored, long now) {
    int requeued = 0;
    List<StoredTask> ordered = new ArrayList<>(stored);
    ordered.sort(Comparator.comparingLong(StoredTask::seq));
    for (StoredTask task : ordered) {
      TaskEntry entry = TaskEntry.restored(task);
      tasks.put(entry.id, entry);
      nextSeq = Math.max(nextSeq, entry.seq + 1);
      if (entry.state.isFinished()) {
        finished.add(entry);
        continue;
      }
      if (entry.request.deduplicationKey() != null) {
        byDeduplicationKey.put(entry.request.deduplicationKey(), entry.id);
      }
      if (entry.state == TaskState.ASSIGNED) {
        requeued++;
        entry.error = "hub restarted during attempt " + entry.attempt;
        if (entry.attempt >= entry.request.maxRetries()) {
          finish(entry, TaskState.FAILED, now);
          continue;
        }
        entry.state = TaskState.PENDING;
        entry.retryAfter = null;
      }
      waiting++;
      if (entry.retryAfter != null) {
        delayed.add(new Delayed(entry, entry.version, entry.retryAfter));
      } else {
        enqueue(entry);
      }
      journal.record(entry.stored());
    }
    return requeued;
  }

  /** Drops finished tasks that finished before {@code cutoff}; returns how many. */
  @Override
  public synchronized long prune(long cutoff) {
    int pruned = 0;
    while (!finished.isEmpty()
        && finished.peek().completedAt != null
        && finished.peek().completedAt < cutoff) {
      tasks.remove(finished.poll().id);
      pruned++;
    }
    return pruned;
  }

  @Override
  public synchronized Submitted submit(TaskRequest request, long now) {
    String key = request.deduplicationKey();
    if (key != null && byDeduplicationKey.containsKey(key)) {
      return new Submitted(byDeduplicationKey.get(key), true);
    }
    if (waiting >= maxWaiting) {
      throw new QueueFullException(maxWaiting);
    }
    TaskEntry entry = new TaskEntry(UUID.randomUUID().toString(), request, nextSeq++, now);
    tasks.put(entry.id, entry);
    if (key != null) {
      byDeduplicationKey.put(key, entry.id);
    }
    waiting++;
    enqueue(entry);
    journal.record(entry.stored());
    return new Submitted(entry.id, false);
  }

  @Override
  public synchronized Optional<Claimed> claim(
      Set<String> capabilities, WorkerPicker picker, long now) {
    promoteDue(now);
    TaskEntry best = null;
    for (String capability : capabilities) {
      CapabilityQueue queue = waitingByCapability.get(capability);
      TaskEntry head = queue == null ? null : queue.peek();
      if (head != null
          && (best == null
              || CapabilityQueue.ORDER.compare(
                      new CapabilityQueue.Ref(head, head.version),
                      new CapabilityQueue.Ref(best, best.version))
                  < 0)) {
        best = head;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    String workerId = picker.pick(best.request);
    if (workerId == null) {
      return Optional.empty();
    }
    leaveWaiting(best);
    best.state = TaskState.ASSIGNED;
    best.attempt++;
    best.workerId = workerId;
    best.assignedAt = now;
    best.leaseUntil = now + best.request.timeoutMs();
    addLease(best);
    journal.record(best.stored());
    return Optional.of(
        new Claimed(
            best.id,
            best.request.type(),
            best.request.payload(),
            best.request.capability(),
            best.attempt,
            best.request.timeoutMs(),
            workerId,
            best.request.priority(),
            best.request.fallbackCapabilities()));
  }

  @Override
  public synchronized Transition complete(
      String taskId, int attempt, JsonNode result, String ranBy, long now) {
    TaskEntry entry = tasks.get(taskId);
    Transition refusal = checkCurrent(entry, taskId, attempt);
    if (refusal != null) {
      return refusal;
    }
    recordRanBy(entry, ranBy);
    entry.result = result;
    entry.error = null;
    finish(entry, TaskState.COMPLETED, now);
    journal.record(entry.stored());
    return transition(Kind.COMPLETED, entry, null, 0);
  }

  @Override
  public synchronized Transition fail(
      String taskId, int attempt, String error, boolean retryable, String ranBy, long now) {
    TaskEntry entry = tasks.get(taskId);
    Transition refusal = checkCurrent(entry, taskId, attempt);
    if (refusal != null) {
      return refusal;
    }
    recordRanBy(entry, ranBy);
    entry.error = error;
    if (!retryable || entry.attempt >= entry.request.maxRetries()) {
      finish(entry, TaskState.FAILED, now);
      journal.record(entry.stored());
      return transition(Kind.FAILED, entry, error, 0);
    }
    long delay = defaults.retry(entry.request.type()).delayMillis(entry.attempt, jitter);
    entry.state = TaskState.PENDING;
    entry.retryAfter = now + delay;
    entry.version++;
    waiting++;
    delayed.add(new Delayed(entry, entry.version, entry.retryAfter));
    journal.record(entry.stored());
    return transition(Kind.RETRYING, entry, error, delay);
  }

  @Override
  public synchronized Transition abandon(String taskId, int attempt, String reason, long now) {
    TaskEntry entry = tasks.get(taskId);
    Transition refusal = checkCurrent(entry, taskId, attempt);
    if (refusal != null) {
      return refusal;
    }
    entry.error = reason;
    if (entry.attempt >= entry.request.maxRetries()) {
      finish(entry, TaskState.FAILED, now);
      journal.record(entry.stored());
      return transition(Kind.FAILED, entry, reason, 0);
    }
    entry.state = TaskState.PENDING;
    waiting++;
    enqueue(entry);
    journal.record(entry.stored());
    return transition(Kind.REQUEUED, entry, reason, 0);
  }

  @Override
  public synchronized Transition decline(String taskId, int attempt, long now) {
    TaskEntry entry = tasks.get(taskId);
    Transition refusal = checkCurrent(entry, taskId, attempt);
    if (refusal != null) {
      return refusal;
    }
    Transition declined = transition(Kind.DECLINED, entry, null, 0);
    entry.attempt--;
    entry.state = TaskState.PENDING;
    entry.workerId = null;
    entry.assignedAt = null;
    waiting++;
    enqueue(entry);
    journal.record(entry.stored());
    return declined;
  }

  private static void recordRanBy(TaskEntry entry, String ranBy) {
    if (ranBy != null) {
      entry.workerId = ranBy;
    }
  }

  @Override
  public synchronized boolean extendLease(String taskId, int attempt, long now) {
    TaskEntry entry = tasks.get(taskId);
    if (entry == null || entry.state != TaskState.ASSIGNED || entry.attempt != attempt) {
      return false;
    }
    entry.leaseUntil = Math.max(entry.leaseUntil, now + entry.request.timeoutMs());
    return true;
  }

  @Override
  public synchronized Transition cancel(String taskId, String reason, long now) {
    TaskEntry entry = tasks.get(taskId);
    if (entry == null) {
      return Transition.of(Kind.UNKNOWN, taskId);
    }
    if (entry.state.isFinished()) {
      return transition(Kind.FINISHED, entry, entry.error, 0);
    }
    if (entry.isWaiting()) {
      leaveWaiting(entry);
    } else if (entry.state == TaskState.PENDING) {
      entry.version++; // drops its retry timer
      waiting--;
    }
    entry.error = reason;
    finish(entry, TaskState.CANCELLED, now);
    journal.record(entry.stored());
    return transition(Kind.CANCELLED, entry, reason, 0);
  }

  @Override
  public synchronized List<Lease> expiredLeases(long now) {
    return leases.expired(now);
  }

  @Override
  public synchronized boolean promoteDue(long now) {
    boolean moved = false;
    while (!delayed.isEmpty() && delayed.peek().due() <= now) {
      Delayed next = delayed.poll();
      TaskEntry entry = next.entry();
      if (entry.version == next.version()
          && entry.state == TaskState.PENDING
          && entry.retryAfter != null) {
        entry.retryAfter = null;
        enqueue(entry);
        moved = true;
      }
    }
    return moved;
  }

  @Override
  public synchronized Optional<Task> get(String taskId) {
    return Optional.ofNullable(tasks.get(taskId)).map(TaskEntry::snapshot);
  }

  @Override
  public synchronized List<Task> list(TaskState state, int limit) {
    return tasks.values().stream()
        .filter(entry -> state == null || entry.state == state)
        .sorted(Comparator.comparingLong((TaskEntry entry) -> entry.seq).reversed())
        .limit(limit)
        .map(TaskEntry::snapshot)
        .toList();
  }

  @Override
  public synchronized int waiting() {
    return waiting;
  }

  private Transition checkCurrent(TaskEntry entry, String taskId, int attempt) {
    if (entry == null) {
      return Transition.of(Kind.UNKNOWN, taskId);
    }
    if (entry.state.isFinished()) {
      return transition(Kind.FINISHED, entry, entry.error, 0);
    }
    if (entry.state != TaskState.ASSIGNED || entry.attempt != attempt) {
      return transition(Kind.STALE, entry, null, 0);
    }
    return null;
  }

  private void enqueue(TaskEntry entry) {
    entry.version++;
    for (String capability : entry.capabilities()) {
      waitingByCapability.computeIfAbsent(capability, c -> new CapabilityQueue()).add(entry);
    }
  }

  /** A waiting task is claimed or cancelled. */
  private void leaveWaiting(TaskEntry entry) {
    entry.version++;
    waiting--;
    for (String capability : entry.capabilities()) {
      CapabilityQueue queue = waitingByCapability.get(capability);
      if (queue != null) {
        queue.left();
        if (queue.isEmpty()) {
          waitingByCapability.remove(capability);
        }
      }
    }
  }

  private void addLease(TaskEntry entry) {
    leases.add(entry);
  }

  /** Lease records held, current or not yet swept; at most about twice the running tasks. */
  synchronized int leaseRecords() {
    return leases.size();
  }

  private void finish(TaskEntry entry, TaskState state, long now) {
    entry.state = state;
    entry.completedAt = now;
    entry.retryAfter = null;
    if (entry.request.deduplicationKey() != null) {
      byDeduplicationKey.remove(entry.request.deduplicationKey(), entry.id);
    }
    finished.add(entry);
    while (finished.size() > maxFinished) {
      tasks.remove(finished.poll().id);
    }
  }

  private static Transition transition(Kind kind, TaskEntry entry, String error, long delay) {
    return new Transition(
        kind, entry.id, entry.request.type(), entry.workerId, entry.attempt, error, delay);
  }
}
