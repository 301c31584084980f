package io.cmws.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;
import io.cmws.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskDispatcherTest {
  private final MutableClock clock = new MutableClock(1_000_000);
  private final List<String> events = new ArrayList<>();
  private final TaskDispatcher dispatcher =
      new TaskDispatcher(
          new InMemoryTaskQueue(
              new TaskDefaults(new RetryPolicy(Duration.ZERO, Duration.ZERO, 0), Map.of()),
              100,
              100),
          (channel, data) -> events.add(channel + " " + data),
          clock);

  /** A peer that keeps what it is sent. */
  static final class Peer implements TaskPeer {
    final String id;
    final List<ServerFrame> frames = new ArrayList<>();

    Peer(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean send(ServerFrame frame) {
      frames.add(frame);
      return true;
    }

    List<String> assignedIds() {
      return frames.stream()
          .filter(ServerFrame.TaskAssign.class::isInstance)
          .map(f -> ((ServerFrame.TaskAssign) f).task().id())
          .toList();
    }
  }

  private String submit(String type, int priority, String... fallbacks) {
    return dispatcher
        .submit(
            new TaskRequest(
                type,
                TextNode.valueOf(type),
                type,
                List.of(fallbacks),
                priority,
                3,
                5000,
                null,
                null,
                "local"),
            null)
        .taskId();
  }

  @Test
  void fillsEveryFreeSlotAtOnce() {
    for (int i = 0; i < 5; i++) {
      submit("a", 50);
    }
    Peer worker = new Peer("w1");
    dispatcher.workerRegistered(worker, List.of("a"), 3);
    assertEquals(3, worker.assignedIds().size(), "three slots, three tasks, no waiting for a poll");
    dispatcher.complete(worker, worker.assignedIds().get(0), TextNode.valueOf("ok"));
    assertEquals(4, worker.assignedIds().size(), "a finished slot is refilled at once");
    ServerFrame.TaskAssign assign = (ServerFrame.TaskAssign) worker.frames.get(0);
    assertEquals("a", assign.capability(), "the backend's shape: capability carries the task type");
    assertEquals(1, assign.task().attempt());
  }

  @Test
  void prefersAWorkerWithTheRequiredCapabilityThenAFallback() {
    Peer required = new Peer("required");
    Peer fallback = new Peer("fallback");
    dispatcher.workerRegistered(fallback, List.of("b"), 1);
    dispatcher.workerRegistered(required, List.of("a"), 1);
    String first = submit("a", 50, "b");
    assertEquals(List.of(first), required.assignedIds());
    String second = submit("a", 50, "b");
    assertEquals(List.of(second), fallback.assignedIds(), "the required worker is busy");
  }

  @Test
  void onlyTheHolderMayReportAndALateReportChangesNothing() {
    Peer holder = new Peer("w1");
    Peer other = new Peer("w2");
    dispatcher.workerRegistered(holder, List.of("a"), 1);
    dispatcher.workerRegistered(other, List.of("x"), 1);
    String id = submit("a", 50);
    ProtocolException e =
        assertThrows(
            ProtocolException.class,
            () -> dispatcher.complete(other, id, TextNode.valueOf("forged")));
    assertEquals(ErrorCode.NOT_OWNER, e.code());
    dispatcher.complete(holder, id, TextNode.valueOf("real"));
    assertEquals(
        ErrorCode.NOT_OWNER,
        assertThrows(
                ProtocolException.class,
                () -> dispatcher.complete(holder, id, TextNode.valueOf("again")))
            .code());
    assertEquals("real", dispatcher.queue().get(id).orElseThrow().result().asText());
    assertEquals(1, events.stream().filter(event -> event.startsWith("task:completed")).count());
  }

  @Test
  void anExpiredLeaseMovesTheTaskAndRefusesTheOldWorker() {
    Peer hung = new Peer("hung");
    dispatcher.workerRegistered(hung, List.of("a"), 1);
    String id = submit("a", 50);
    clock.advance(Duration.ofSeconds(4));
    dispatcher.heartbeat(hung); // extends to t+4+5 s
    clock.advance(Duration.ofSeconds(4));
    dispatcher.tick();
    assertEquals(
        TaskState.ASSIGNED,
        dispatcher.queue().get(id).orElseThrow().state(),
        "heartbeats extend the lease");
    clock.advance(Duration.ofSeconds(2));
    dispatcher.tick();
    assertInstanceOf(ServerFrame.TaskCancel.class, hung.frames.get(hung.frames.size() - 1));
    Peer healthy = new Peer("healthy");
    dispatcher.workerRegistered(healthy, List.of("a"), 1);
    assertEquals(List.of(id), healthy.assignedIds());
    assertEquals(2, ((ServerFrame.TaskAssign) healthy.frames.get(0)).task().attempt());
    assertEquals(
        ErrorCode.NOT_OWNER,
        assertThrows(
                ProtocolException.class,
                () -> dispatcher.complete(hung, id, TextNode.valueOf("late")))
            .code());
    dispatcher.complete(healthy, id, TextNode.valueOf("done"));
    assertEquals(TaskState.COMPLETED, dispatcher.queue().get(id).orElseThrow().state());
  }

  @Test
  void aVanishedWorkerCostsAnAttemptAndTheTaskMovesOn() {
    Peer first = new Peer("w1");
    dispatcher.workerRegistered(first, List.of("a"), 1);
    String id = submit("a", 50);
    dispatcher.workerGone(first);
    Peer second = new Peer("w2");
    dispatcher.workerRegistered(second, List.of("a"), 1);
    assertEquals(2, ((ServerFrame.TaskAssign) second.frames.get(0)).task().attempt());
    assertTrue(
        events.stream().anyMatch(e -> e.startsWith("task:retrying") && e.contains("disconnected")),
        events.toString());
  }

  @Test
  void cancellingFreesTheSlotAndTellsTheWorker() {
    Peer worker = new Peer("w1");
    dispatcher.workerRegistered(worker, List.of("a"), 1);
    String running = submit("a", 50);
    String next = submit("a", 50);
    dispatcher.cancel(running, "user");
    assertEquals(new ServerFrame.TaskCancel(running, "user"), worker.frames.get(1));
    assertEquals(List.of(running, next), worker.assignedIds(), "the slot is reused at once");
    dispatcher.fail(worker, running, "cancelled", false); // its answer is expected, not an error
    assertEquals(TaskState.CANCELLED, dispatcher.queue().get(running).orElseThrow().state());
  }

  @Test
  void watchersHearTheOutcome() {
    Peer worker = new Peer("w1");
    Peer watcher = new Peer("client");
    dispatcher.workerRegistered(worker, List.of("a"), 1);
    String id =
        dispatcher
            .submit(
                new TaskRequest("a", null, "a", List.of(), 1, 1, 5000, null, null, "local"),
                watcher)
            .taskId();
    dispatcher.fail(worker, id, "nope", true);
    ServerFrame.TaskResult result = (ServerFrame.TaskResult) watcher.frames.get(0);
    assertEquals("failed", result.state());
    assertEquals("nope", result.error());
    assertTrue(events.get(events.size() - 1).startsWith("task:failed"), events.toString());
  }

  @Test
  void drainingWorkersGetNothingNew() {
    Peer worker = new Peer("w1");
    dispatcher.workerRegistered(worker, List.of("a"), 2);
    String first = submit("a", 50);
    dispatcher.workerDraining(worker);
    submit("a", 50);
    assertEquals(List.of(first), worker.assignedIds());
  }
}
