package io.cmws.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Waiting tasks that can run with one capability, best first (priority, then submission order). A
 * task with fallbacks sits in several of these; entries go stale when their task leaves waiting and
 * are dropped lazily, or all at once when stale ones dominate. Guarded by the queue's lock.
 */
final class CapabilityQueue {
  static final Comparator<Ref> ORDER =
      Comparator.comparingInt((Ref ref) -> -ref.entry.request.priority())
          .thenComparingLong(ref -> ref.entry.seq);

  private PriorityQueue<Ref> heap = new PriorityQueue<>(ORDER);
  private int live;

  /** A task at the version it was queued with. */
  record Ref(TaskEntry entry, int version) {
    boolean isLive() {
      return entry.version == version && entry.isWaiting();
    }
  }

  void add(TaskEntry entry) {
    heap.add(new Ref(entry, entry.version));
    live++;
  }

  /** The best live task, or null. */
  TaskEntry peek() {
    Ref head = heap.peek();
    while (head != null && !head.isLive()) {
      heap.poll();
      head = heap.peek();
    }
    return head == null ? null : head.entry;
  }

  /** One of this queue's tasks left waiting; compacts when stale entries dominate. */
  void left() {
    live--;
    if (heap.size() > 2 * live + 64) {
      List<Ref> kept = new ArrayList<>(live);
      for (Ref ref : heap) {
        if (ref.isLive()) {
          kept.add(ref);
        }
      }
      heap = new PriorityQueue<>(Math.max(16, kept.size()), ORDER);
      heap.addAll(kept);
    }
  }

  boolean isEmpty() {
    return live <= 0;
  }
}
