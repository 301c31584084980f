package io.cmws.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.cmws.tasks.TaskQueue.Transition.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryTaskQueueTest {
  /** Backoff 1 s doubling, no jitter, so delays are exact. */
  private static final TaskDefaults DEFAULTS =
      new TaskDefaults(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0), Map.of());

  private final InMemoryTaskQueue queue = new InMemoryTaskQueue(DEFAULTS, 10_000, 1000, () -> 0.5);

  private static TaskRequest request(String type, int priority, String... fallbacks) {
    return new TaskRequest(
        type,
        IntNode.valueOf(priority),
        type,
        List.of(fallbacks),
        priority,
        3,
        1000,
        null,
        null,
        "local");
  }

  private String submit(String type, int priority, String... fallbacks) {
    return queue.submit(request(type, priority, fallbacks), 0).taskId();
  }

  private TaskQueue.Claimed claim(long now, String... capabilities) {
    return queue.claim(Set.of(capabilities), (capability, fallbacks) -> "w", now).orElseThrow();
  }

  @Test
  void higherPriorityFirstThenFirstInFirstOut() {
    String low = submit("a", 10);
    String high1 = submit("a", 90);
    String high2 = submit("a", 90);
    assertEquals(
        List.of(high1, high2, low),
        List.of(claim(0, "a").taskId(), claim(0, "a").taskId(), claim(0, "a").taskId()));
    assertTrue(queue.claim(Set.of("a"), (c, f) -> "w", 0).isEmpty());
  }

  @Test
  void aTaskThatCannotBePlacedDoesNotBlockOthers() {
    submit("nobody-has-this", 100);
    String placeable = submit("b", 1);
    assertEquals(placeable, claim(0, "b").taskId());
    assertEquals(1, queue.waiting());
  }

  @Test
  void fallbacksMakeATaskPlaceableAndThePickerSeesThem() {
    String task = submit("a", 50, "b", "c");
    List<String> asked = new ArrayList<>();
    TaskQueue.Claimed claimed =
        queue
            .claim(
                Set.of("c"),
                (capability, fallbacks) -> {
                  asked.add(capability + " " + fallbacks);
                  return "w2";
                },
                0)
            .orElseThrow();
    assertEquals(task, claimed.taskId());
    assertEquals("w2", claimed.workerId());
    assertEquals(List.of("a [b, c]"), asked);
    // gone from every capability queue once claimed
    assertTrue(queue.claim(Set.of("a", "b", "c"), (c, f) -> "w", 0).isEmpty());
  }

  @Test
  void retriesWithExponentialBackoffThenDeadLetters() {
    String id = submit("a", 50);
    TaskQueue.Claimed first = claim(0, "a");
    TaskQueue.Transition retry1 = queue.fail(id, first.attempt(), "boom 1", true, 1000);
    assertEquals(Kind.RETRYING, retry1.kind());
    assertEquals(2000, retry1.delayMs(), "1 s * 2^1, jitter 0");
    assertTrue(queue.claim(Set.of("a"), (c, f) -> "w", 2999).isEmpty(), "not before retryAfter");
    TaskQueue.Claimed second = claim(3000, "a");
    assertEquals(2, second.attempt());
    assertEquals(Kind.RETRYING, queue.fail(id, 2, "boom 2", true, 5000).kind());
    assertTrue(queue.claim(Set.of("a"), (c, f) -> "w", 8999).isEmpty(), "second retry waits 4 s");
    TaskQueue.Claimed third = claim(9000, "a");
    TaskQueue.Transition dead = queue.fail(id, third.attempt(), "boom 3", true, 9500);
    assertEquals(Kind.FAILED, dead.kind());
    assertEquals(3, dead.attempt());
    Task task = queue.get(id).orElseThrow();
    assertEquals(TaskState.FAILED, task.state());
    assertEquals("boom 3", task.error());
    assertEquals(0, queue.waiting());
  }

  @Test
  void notRetryableFailsAtOnce() {
    String id = submit("a", 50);
    assertEquals(
        Kind.FAILED, queue.fail(id, claim(0, "a").attempt(), "bad input", false, 1).kind());
    assertEquals(TaskState.FAILED, queue.get(id).orElseThrow().state());
  }

  @Test
  void aLostAttemptCountsAndRequeuesAtOnce() {
    String id = submit("a", 50);
    assertEquals(
        Kind.REQUEUED, queue.abandon(id, claim(0, "a").attempt(), "worker gone", 5).kind());
    assertEquals(2, claim(5, "a").attempt());
    assertEquals(Kind.REQUEUED, queue.abandon(id, 2, "worker gone", 6).kind());
    assertEquals(Kind.FAILED, queue.abandon(id, claim(6, "a").attempt(), "worker gone", 7).kind());
  }

  @Test
  void onlyTheCurrentAttemptMayReport() {
    String id = submit("a", 50);
    queue.abandon(id, claim(0, "a").attempt(), "lease expired", 1);
    TaskQueue.Claimed second = claim(1, "a");
    assertEquals(
        Kind.STALE,
        queue.complete(id, 1, IntNode.valueOf(1), 2).kind(),
        "late result of attempt 1");
    assertEquals(
        Kind.COMPLETED, queue.complete(id, second.attempt(), IntNode.valueOf(2), 3).kind());
    assertEquals(
        Kind.FINISHED,
        queue.complete(id, second.attempt(), IntNode.valueOf(3), 4).kind(),
        "duplicate");
    assertEquals(2, queue.get(id).orElseThrow().result().asInt());
    assertEquals(Kind.UNKNOWN, queue.complete("nope", 1, null, 5).kind());
  }

  @Test
  void refusesAboveTheWaitingLimit() {
    InMemoryTaskQueue small = new InMemoryTaskQueue(DEFAULTS, 2, 10);
    small.submit(request("a", 1), 0);
    small.submit(request("a", 1), 0);
    assertThrows(TaskQueue.QueueFullException.class, () -> small.submit(request("a", 1), 0));
    small.claim(Set.of("a"), (c, f) -> "w", 0);
    small.submit(request("a", 1), 0);
    assertEquals(2, small.waiting());
  }

  @Test
  void deduplicatesWhileTheTaskIsOpen() {
    TaskRequest withKey =
        new TaskRequest("a", null, "a", List.of(), 1, 3, 1000, "k1", null, "local");
    TaskQueue.Submitted first = queue.submit(withKey, 0);
    TaskQueue.Submitted again = queue.submit(withKey, 0);
    assertEquals(first.taskId(), again.taskId());
    assertTrue(again.deduplicated());
    queue.complete(first.taskId(), claim(0, "a").attempt(), null, 1);
    assertFalse(
        queue.submit(withKey, 2).deduplicated(), "a finished task no longer blocks its key");
  }

  @Test
  void leasesExpireUnlessExtended() {
    String a = submit("a", 50);
    String b = submit("a", 50);
    int attemptA = claim(0, "a").attempt();
    claim(0, "a");
    assertTrue(queue.extendLease(a, attemptA, 600));
    List<TaskQueue.Lease> expired = queue.expiredLeases(1000);
    assertEquals(List.of(new TaskQueue.Lease(b, 1, "w")), expired);
    assertTrue(queue.expiredLeases(1500).isEmpty());
    assertEquals(List.of(new TaskQueue.Lease(a, 1, "w")), queue.expiredLeases(1600));
    assertFalse(queue.extendLease(a, 2, 1600), "not the current attempt");
  }

  @Test
  void cancelsWaitingDelayedAndRunningTasks() {
    String waiting = submit("a", 1);
    String running = submit("b", 1);
    String delayed = submit("c", 1);
    claim(0, "b");
    queue.fail(delayed, claim(0, "c").attempt(), "x", true, 0);
    assertEquals(2, queue.waiting());
    assertEquals(Kind.CANCELLED, queue.cancel(waiting, "no", 1).kind());
    TaskQueue.Transition cancelledRunning = queue.cancel(running, "no", 1);
    assertEquals("w", cancelledRunning.workerId());
    assertEquals(Kind.CANCELLED, queue.cancel(delayed, "no", 1).kind());
    assertEquals(0, queue.waiting());
    assertFalse(queue.promoteDue(100_000), "a cancelled retry does not come back");
    assertEquals(Kind.FINISHED, queue.cancel(waiting, "again", 2).kind());
    assertEquals(TaskState.CANCELLED, queue.get(running).orElseThrow().state());
  }

  @Test
  void staleEntriesOfUnusedFallbacksAreCompacted() {
    for (int i = 0; i < 5000; i++) {
      submit("a", 1, "rare");
    }
    for (int i = 0; i < 5000; i++) {
      claim(0, "a");
    }
    assertTrue(queue.claim(Set.of("rare"), (c, f) -> "w", 0).isEmpty());
    assertEquals(0, queue.waiting());
  }

  @Test
  void finishedTasksDoNotStayReachableThroughTheirLeases() {
    InMemoryTaskQueue big = new InMemoryTaskQueue(DEFAULTS, 10_000, 100, () -> 0.5);
    big.submit(request("slow", 1), 0);
    TaskQueue.Claimed running = big.claim(Set.of("slow"), (c, f) -> "w", 0).orElseThrow();
    for (int i = 0; i < 50_000; i++) { // all finish long before their 1 s timeout
      String id = big.submit(request("a", 1), i).taskId();
      TaskQueue.Claimed claimed = big.claim(Set.of("a"), (c, f) -> "w", i).orElseThrow();
      assertEquals(
          Kind.COMPLETED, big.complete(id, claimed.attempt(), IntNode.valueOf(i), i).kind());
    }
    assertTrue(big.leaseRecords() <= 2048, "swept: " + big.leaseRecords());
    List<TaskQueue.Lease> expired = big.expiredLeases(1000);
    assertEquals(
        List.of(running.taskId()),
        expired.stream().map(TaskQueue.Lease::taskId).toList(),
        "the running task's lease survives the sweeps and expires");
  }
}
