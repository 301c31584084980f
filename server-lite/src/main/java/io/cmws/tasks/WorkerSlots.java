package io.cmws.tasks;

import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registered workers and federated hubs (pools) and, per capability, those with a free slot, in
 * round-robin order. Guarded by the dispatcher's lock.
 */
final class WorkerSlots {
  private final Map<String, WorkerSlot> byId = new HashMap<>();
  private final Map<String, LinkedHashSet<WorkerSlot>> idleByCapability = new HashMap<>();
  private final List<WorkerSlot> pools = new ArrayList<>();

  void add(WorkerSlot slot) {
    byId.put(slot.id(), slot);
    if (slot.pool != null) {
      pools.add(slot);
    }
    refresh(slot);
  }

  WorkerSlot remove(String workerId) {
    WorkerSlot slot = byId.remove(workerId);
    if (slot != null) {
      markBusy(slot);
      pools.remove(slot);
    }
    return slot;
  }

  WorkerSlot get(String workerId) {
    return byId.get(workerId);
  }

  Collection<WorkerSlot> all() {
    return byId.values();
  }

  /** Capabilities with at least one free slot that would take them. */
  Set<String> idleCapabilities() {
    if (pools.stream().allMatch(slot -> slot.pool.declined.isEmpty())) {
      return idleByCapability.keySet();
    }
    Set<String> taken = new HashSet<>();
    idleByCapability.forEach(
        (capability, idle) -> {
          if (idle.stream().anyMatch(slot -> slot.takes(capability))) {
            taken.add(capability);
          }
        });
    return taken;
  }

  /**
   * A free worker or pool for the request's capability, else for one of its fallbacks; among the
   * pools that could take it, {@code router} picks. Null if none.
   */
  String pick(TaskRequest request, PoolRouter router) {
    for (String capability : request.capabilities()) {
      WorkerSlot slot =
          pools.isEmpty()
              ? firstIdle(capability)
              : router.choose(capability, candidates(capability, router), request.routing());
      if (slot != null) {
        return slot.id();
      }
    }
    return null;
  }

  /** This hub's workers as one pool (led by its first free worker), and each federated hub. */
  private List<PoolRouter.Candidate> candidates(String capability, PoolRouter router) {
    LinkedHashSet<WorkerSlot> idle = idleByCapability.get(capability);
    List<PoolRouter.Candidate> candidates = new ArrayList<>();
    if (idle == null) {
      return candidates;
    }
    WorkerSlot firstLocal = null;
    int localFree = 0;
    for (WorkerSlot slot : idle) {
      if (slot.pool == null) {
        firstLocal = firstLocal == null ? slot : firstLocal;
        localFree += slot.concurrency - slot.held.size();
      } else if (slot.takes(capability)) {
        candidates.add(router.hub(slot));
      }
    }
    if (firstLocal != null) {
      candidates.add(0, router.local(firstLocal, localFree));
    }
    return candidates;
  }

  /** Adds the pool of hub {@code name}, or brings it back online with what it held. */
  void joinPool(TaskPeer peer, PoolIdentity identity, FederationPolicy policy) {
    WorkerSlot slot = byId.get(peer.id());
    if (slot == null) {
      slot = new WorkerSlot(peer, List.of(), 0, new Pool(identity.name(), 0, 0));
      add(slot);
    }
    Pool pool = slot.pool;
    pool.online = true;
    pool.hubId = identity.hubId();
    pool.region = identity.region();
    pool.labels = identity.labels();
    pool.priority =
        identity.priority() != null ? identity.priority() : policy.priorityOf(identity.name());
    pool.weight = identity.weight() != null ? identity.weight() : policy.weightOf(identity.name());
    pool.sentOnOldLink = slot.held.isEmpty() ? null : new HashSet<>(slot.held.keySet());
  }

  /**
   * The first report of a hub that came back lists what it still runs of ours, after its results:
   * an assignment of the old link that is in neither was lost with it. Those leave the pool, as
   * task id → attempt; empty when there is nothing to settle or the hub does not say.
   */
  Map<String, Integer> lostWithOldLink(String poolId, List<String> running) {
    WorkerSlot slot = byId.get(poolId);
    if (slot == null || slot.pool == null || slot.pool.sentOnOldLink == null || running == null) {
      return Map.of();
    }
    Set<String> old = slot.pool.sentOnOldLink;
    slot.pool.sentOnOldLink = null;
    old.removeAll(running);
    Map<String, Integer> lost = new HashMap<>();
    for (String taskId : old) {
      Integer attempt = slot.held.remove(taskId);
      if (attempt != null) {
        lost.put(taskId, attempt);
      }
    }
    refresh(slot);
    return lost;
  }

  /** Applies a pool's report; false if there is no such pool. */
  boolean reportPool(String poolId, PoolReport report, long nowMillis) {
    WorkerSlot slot = byId.get(poolId);
    if (slot == null || slot.pool == null) {
      return false;
    }
    slot.pool.report(report, nowMillis);
    slot.suspect = false;
    if (report.capabilities() != null && !report.capabilities().equals(slot.capabilities)) {
      recapable(slot, report.capabilities());
    } else {
      refresh(slot);
    }
    return true;
  }

  /** The pool's hub went away: it gets nothing new, and is forgotten once it holds nothing. */
  void leavePool(String poolId) {
    WorkerSlot slot = byId.get(poolId);
    if (slot != null && slot.pool != null) {
      slot.pool.online = false;
      refresh(slot);
      forgetIfGone(slot);
    }
  }

  /** An offline pool that holds nothing any more is forgotten. */
  void forgetIfGone(WorkerSlot slot) {
    if (slot.pool != null && !slot.pool.online && slot.held.isEmpty()) {
      remove(slot.id());
    }
  }

  List<PoolView> poolViews() {
    return pools.stream().map(PoolView::of).sorted(Comparator.comparing(PoolView::name)).toList();
  }

  /** The slot of a registered worker (or pool); anything else may not report on tasks. */
  WorkerSlot require(TaskPeer worker) {
    WorkerSlot slot = byId.get(worker.id());
    if (slot == null) {
      throw new ProtocolException(
          ErrorCode.NOT_A_WORKER, "only a registered worker can report on tasks");
    }
    return slot;
  }

  static ProtocolException notOwner(String taskId) {
    return new ProtocolException(
        ErrorCode.NOT_OWNER,
        "task "
            + taskId
            + " is not assigned to this worker (unknown, finished, or reassigned after its lease"
            + " expired)");
  }

  /**
   * Takes {@code attempt} away from the slot holding it and tells its worker to stop; false if the
   * slot does not hold that attempt. After a lost lease the worker gets nothing new until it shows
   * it is alive, and a late report of the attempt is refused; after a cancel it is expected.
   */
  boolean takeAway(WorkerSlot slot, String taskId, int attempt, String reason) {
    if (slot == null || !slot.held.remove(taskId, attempt)) {
      return false;
    }
    if (reason.startsWith(TaskDispatcher.LEASE_EXPIRED)) {
      slot.suspect = true;
    } else {
      slot.cancelled.add(taskId);
    }
    slot.peer.send(new ServerFrame.TaskCancel(taskId, reason));
    refresh(slot);
    forgetIfGone(slot);
    return true;
  }

  /** The federated hubs registered as pools. */
  Collection<WorkerSlot> pools() {
    return pools;
  }

  /** A pool's capabilities changed: re-file it under the new ones. */
  void recapable(WorkerSlot slot, List<String> capabilities) {
    markBusy(slot);
    slot.capabilities = List.copyOf(capabilities);
    refresh(slot);
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
