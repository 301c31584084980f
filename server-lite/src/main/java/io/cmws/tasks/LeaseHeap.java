package io.cmws.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Running attempts by lease end. Leases stay in the heap after their task finished (a heap cannot
 * drop them cheaply), so it is swept of those whenever it doubles: otherwise every task finished
 * within its timeout would stay reachable, payload and all. Not thread-safe: the queue's lock
 * guards it.
 */
final class LeaseHeap {
  private static final int MIN_SWEEP = 1024;

  private record LeaseRef(TaskEntry entry, int attempt, long until) {
    boolean current() {
      return entry.state == TaskState.ASSIGNED && entry.attempt == attempt;
    }
  }

  private final PriorityQueue<LeaseRef> leases =
      new PriorityQueue<>(Comparator.comparingLong(LeaseRef::until));
  private int sweepAt = MIN_SWEEP;

  /** Remembers the entry's current attempt until its {@code leaseUntil}. */
  void add(TaskEntry entry) {
    leases.add(new LeaseRef(entry, entry.attempt, entry.leaseUntil));
    if (leases.size() >= sweepAt) {
      leases.removeIf(ref -> !ref.current());
      sweepAt = Math.max(MIN_SWEEP, 2 * leases.size());
    }
  }

  /** Current attempts whose lease ran out by {@code now}; extended ones are filed again. */
  List<TaskQueue.Lease> expired(long now) {
    List<TaskQueue.Lease> expired = new ArrayList<>();
    while (!leases.isEmpty() && leases.peek().until() <= now) {
      LeaseRef ref = leases.poll();
      TaskEntry entry = ref.entry();
      if (!ref.current()) {
        continue;
      }
      if (entry.leaseUntil > now) {
        add(entry); // extended meanwhile
      } else {
        expired.add(new TaskQueue.Lease(entry.id, entry.attempt, entry.workerId));
      }
    }
    return expired;
  }

  /** Records held, current or not yet swept. */
  int size() {
    return leases.size();
  }
}
