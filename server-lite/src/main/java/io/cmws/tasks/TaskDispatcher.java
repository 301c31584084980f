package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskQueue.Transition;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

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
  private TaskSignals signals = TaskSignals.NONE;
  private final SubmitterQuota quota = new SubmitterQuota();
  private final TaskOutcomes outcomes;
  private final PoolRouter router;
  private final TaskAssigner assigner;

  public TaskDispatcher(TaskQueue queue, ChannelPublisher publisher, Clock clock) {
    this(queue, publisher, clock, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} yields U(0, 1) for the weighted strategy; tests pass a fixed sequence. */
  public TaskDispatcher(
      TaskQueue queue, ChannelPublisher publisher, Clock clock, DoubleSupplier random) {
    this.queue = queue;
    this.events = new TaskEvents(publisher);
    this.clock = clock;
    this.outcomes = new TaskOutcomes(queue, events, quota);
    this.router = new PoolRouter(FederationPolicy.standard(), random);
    this.assigner = new TaskAssigner(queue, workers, router, events);
  }

  /** How tasks are shared with federated hubs. */
  public synchronized void federation(FederationPolicy policy) {
    router.policy(policy);
  }

  public synchronized FederationPolicy federation() {
    return router.policy();
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
    outcomes.signals(newSignals);
  }

  // ---- what other hubs sharing the queue signal

  /** Tasks may be waiting: fill free slots. */
  public synchronized void remoteWaiting() {
    dispatch();
  }

  /** A task finished elsewhere: its watcher here gets the result. */
  public synchronized void remoteFinished(String taskId) {
    outcomes.finishedElsewhere(taskId);
  }

  /**
   * Signals may have been missed: answer watchers whose tasks finished meanwhile, and look for
   * work.
   */
  public synchronized void remoteMissedSome() {
    outcomes.resync();
    dispatch();
  }

  /**
   * Another hub cancelled a task or expired its lease; if one of our workers holds it, it stops.
   */
  public synchronized void remoteTakenAway(
      String taskId, String workerId, int attempt, String reason) {
    if (workers.takeAway(workers.get(workerId), taskId, attempt, reason)) {
      dispatch();
    } // else not ours, or we hold a newer attempt of it
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
      outcomes.submitted(submitted.taskId(), request.type());
    }
    outcomes.watch(submitted.taskId(), watcher);
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
    progress(worker, taskId, null, progress, message);
  }

  public synchronized void progress(
      TaskPeer worker, String taskId, Integer reported, Double progress, String message) {
    WorkerSlot slot = workers.require(worker);
    Integer attempt = slot.held.get(taskId);
    if (attempt == null || (reported != null && !reported.equals(attempt))) {
      if (attempt == null && slot.cancelled.contains(taskId)) {
        return;
      }
      throw WorkerSlots.notOwner(taskId);
    }
    queue.extendLease(taskId, attempt, clock.millis());
    events.progress(taskId, worker.id(), progress, message);
  }

  public synchronized void complete(TaskPeer worker, String taskId, JsonNode result) {
    complete(worker, taskId, null, result, null);
  }

  /**
   * {@code attempt}: the one the report is about, if the peer says (a cmws hub does); {@code
   * ranBy}: the federated hub's worker that ran it.
   */
  public synchronized void complete(
      TaskPeer worker, String taskId, Integer attempt, JsonNode result, String ranBy) {
    report(
        worker,
        taskId,
        attempt,
        held -> queue.complete(taskId, held, result, ranBy(worker, ranBy), clock.millis()));
  }

  public synchronized void fail(TaskPeer worker, String taskId, String error, boolean retryable) {
    fail(worker, taskId, null, error, retryable, null);
  }

  public synchronized void fail(
      TaskPeer worker,
      String taskId,
      Integer attempt,
      String error,
      boolean retryable,
      String ranBy) {
    report(
        worker,
        taskId,
        attempt,
        held -> queue.fail(taskId, held, error, retryable, ranBy(worker, ranBy), clock.millis()));
  }

  /** A federated hub's worker, recorded as {@code hub:NAME/WORKER}. */
  private static String ranBy(TaskPeer peer, String worker) {
    return worker == null || !peer.id().startsWith(Pool.ID_PREFIX)
        ? null
        : peer.id() + "/" + worker;
  }

  // ---- federated hubs as pools, {@code hub:NAME}

  /** A federated hub joined, or came back: what it held is its own again. */
  public synchronized void poolJoined(TaskPeer peer, PoolIdentity identity, PoolReport report) {
    workers.joinPool(peer, identity, router.policy());
    poolReport(peer, report);
  }

  /**
   * A hub's report; it also proves the hub alive, so the leases of what it holds go on. After a
   * reconnect, what the old link lost waits again without costing an attempt.
   */
  public synchronized void poolReport(TaskPeer peer, PoolReport report) {
    if (workers.reportPool(peer.id(), report, clock.millis())) {
      heartbeat(peer);
      workers
          .lostWithOldLink(peer.id(), report.running())
          .forEach((taskId, attempt) -> finished(queue.decline(taskId, attempt, clock.millis())));
      dispatch();
    }
  }

  /**
   * The hub's link is gone. It gets nothing new, but keeps what it holds until each lease runs out:
   * a link that comes back in time reports those results, and nothing that finished there runs
   * twice.
   */
  public synchronized void poolLeft(TaskPeer peer) {
    workers.leavePool(peer.id());
  }

  /**
   * The hub could not take the task after all ("No worker available"): it waits again without
   * costing an attempt and goes to another pool; this one gets no more of its capabilities until
   * its next report.
   */
  public synchronized void declined(TaskPeer peer, String taskId) {
    WorkerSlot slot = workers.require(peer);
    Integer attempt = slot.held.remove(taskId);
    if (attempt == null || slot.pool == null) {
      throw WorkerSlots.notOwner(taskId);
    }
    queue.get(taskId).ifPresent(t -> slot.pool.declined.addAll(t.request().capabilities()));
    workers.refresh(slot);
    finished(queue.decline(taskId, attempt, clock.millis()));
    dispatch();
  }

  public synchronized List<PoolView> poolViews() {
    return workers.poolViews();
  }

  /** This hub's room for work as it reports it to a parent: its workers and its own pools. */
  public synchronized PoolView.Capacity capacity() {
    return PoolView.capacity(workers.all());
  }

  /** The room of this hub's own workers alone: its local pool. */
  public synchronized PoolView.Capacity localCapacity() {
    return PoolView.capacity(workers.all().stream().filter(slot -> slot.pool == null).toList());
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
      boolean ours =
          workers.takeAway(
              workers.get(lease.workerId()), lease.taskId(), lease.attempt(), LEASE_EXPIRED);
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
        .filter(slot -> slot.pool == null)
        .map(WorkerView::of)
        .sorted(Comparator.comparing(WorkerView::id))
        .toList();
  }

  /** Number of registered workers (federated hubs not counted). */
  public synchronized int workerCount() {
    return workers.all().size() - workers.pools().size();
  }

  /** Tasks running on this hub's workers. */
  public synchronized int runningCount() {
    return workers.all().stream().mapToInt(slot -> slot.held.size()).sum();
  }

  /**
   * How often each outcome happened: submitted, completed, retrying, requeued, failed, cancelled.
   */
  public synchronized Map<String, Long> outcomes() {
    return outcomes.counts();
  }

  private interface Report {
    Transition apply(int attempt);
  }

  private void report(TaskPeer worker, String taskId, Integer reported, Report report) {
    WorkerSlot slot = workers.require(worker);
    Integer attempt = slot.held.get(taskId);
    if (attempt == null || (reported != null && !reported.equals(attempt))) {
      if (attempt == null && slot.cancelled.remove(taskId)) {
        return; // the worker's answer to our task:cancel: expected, already accounted
      }
      throw WorkerSlots.notOwner(taskId);
    }
    slot.held.remove(taskId);
    workers.refresh(slot);
    finished(report.apply(attempt));
    workers.forgetIfGone(slot);
    dispatch();
  }

  /** Publishes a state change and, for a final one, tells the watcher. */
  private void finished(Transition transition) {
    outcomes.changed(transition);
  }

  /** Fills free slots until no waiting task fits any of them. */
  private void dispatch() {
    assigner.fillFreeSlots(clock.millis());
  }
}
