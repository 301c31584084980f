package io.cmws.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.Task;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskDispatcher;
import io.cmws.tasks.TaskPeer;
import io.cmws.tasks.TaskQueue;
import io.cmws.tasks.TaskRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The parent's tasks on this hub: each {@code hub:task:assign} becomes a local task (one attempt;
 * the parent owns retries), run by this hub's own queue rules; its outcome goes back up, or waits
 * until the link is back. Not thread-safe: the upstream thread owns it.
 */
final class UpstreamTasks {
  static final String CLIENT_PREFIX = "upstream:";

  /** A parent task this hub runs: the parent's id and attempt, and the local id. */
  private record Held(String parentId, Integer attempt, String localId, long timeoutMs) {}

  private final TaskDispatcher dispatcher;
  private final TaskDefaults defaults;
  private final Consumer<ServerFrame.TaskResult> outcomes;
  private final Map<String, Held> byLocalId = new HashMap<>();
  private final Map<String, Held> byParentId = new LinkedHashMap<>();

  /** Reports that could not go up yet, in the order they arose. */
  private final Map<String, ObjectNode> pending = new LinkedHashMap<>();

  /** Reports sent whose delivery no acknowledged health report has confirmed yet. */
  private final Map<String, ObjectNode> unconfirmed = new LinkedHashMap<>();

  private final List<String> sinceLastHealth = new ArrayList<>();

  /** Per health report not yet acknowledged: the reports sent just before it. */
  private final Deque<List<String>> healthMarks = new ArrayDeque<>();

  /** {@code outcomes}: where local results arrive (from the dispatcher, under its lock). */
  UpstreamTasks(
      TaskDispatcher dispatcher, TaskDefaults defaults, Consumer<ServerFrame.TaskResult> outcomes) {
    this.dispatcher = dispatcher;
    this.defaults = defaults;
    this.outcomes = outcomes;
  }

  /** Queues the parent's task here; the reply to send at once if it cannot be taken. */
  Optional<ObjectNode> assigned(JsonNode assign) {
    String parentId = assign.path("taskId").asText();
    Integer attempt = assign.hasNonNull("attempt") ? assign.get("attempt").asInt() : null;
    Held known = byParentId.get(parentId);
    if (known != null && Objects.equals(known.attempt(), attempt)) {
      return Optional.empty(); // the same assignment again: it runs already
    }
    String type = assign.path("taskType").asText();
    String capability = assign.path("capability").asText(type);
    if (!dispatcher.capacity().capabilities().contains(capability)) {
      // as claude-mem's hub answers: at once, so the parent tries another pool
      return Optional.of(error(parentId, attempt, "No worker available for " + capability, true));
    }
    TaskRequest request;
    try {
      request =
          new TaskRequest(
              type,
              assign.get("payload"),
              capability,
              List.of(),
              assign.hasNonNull("priority")
                  ? assign.get("priority").asInt()
                  : defaults.priority(type),
              1,
              assign.hasNonNull("timeoutMs")
                  ? assign.get("timeoutMs").asLong()
                  : defaults.timeoutMs(type),
              CLIENT_PREFIX + parentId + ":" + attempt,
              CLIENT_PREFIX + parentId,
              "upstream");
    } catch (IllegalArgumentException e) {
      return Optional.of(
          error(parentId, attempt, "cannot run this task here: " + e.getMessage(), false));
    }
    try {
      String localId = dispatcher.submit(request, watcher()).taskId();
      Held held = new Held(parentId, attempt, localId, request.timeoutMs());
      byLocalId.put(localId, held);
      byParentId.put(parentId, held);
      return Optional.empty();
    } catch (TaskQueue.QueueFullException | TaskQueue.UnavailableException e) {
      // the parent gives it to another pool and counts no attempt
      return Optional.of(error(parentId, attempt, "No worker available: " + e.getMessage(), true));
    }
  }

  /** The parent cancelled: the local task stops (its worker is told). */
  void cancelled(String parentId, String reason) {
    Held held = byParentId.remove(parentId);
    if (held != null) {
      byLocalId.remove(held.localId());
      dispatcher.cancel(held.localId(), reason == null ? "cancelled by the parent hub" : reason);
    }
  }

  /** A local task finished: the report for the parent, or empty if it was not the parent's. */
  Optional<ObjectNode> finished(ServerFrame.TaskResult result) {
    Held held = byLocalId.remove(result.taskId());
    if (held == null) {
      return Optional.empty();
    }
    byParentId.remove(held.parentId(), held);
    if ("completed".equals(result.state())) {
      Optional<Task> task = dispatcher.queue().get(result.taskId());
      ObjectNode complete =
          Json.object().put("type", "hub:task:complete").put("taskId", held.parentId());
      complete.set("result", result.result());
      complete.put(
          "processingTimeMs",
          task.filter(t -> t.assignedAt() != null && t.completedAt() != null)
              .map(t -> t.completedAt() - t.assignedAt())
              .orElse(0L));
      if (held.attempt() != null) {
        complete.put("attempt", held.attempt());
      }
      task.map(Task::workerId).ifPresent(worker -> complete.put("workerId", worker));
      return Optional.of(complete);
    }
    if ("cancelled".equals(result.state()) && !byParentId.containsKey(held.parentId())) {
      return Optional.empty(); // the parent cancelled it: nothing to say
    }
    String error = result.error() == null ? "task " + result.state() : result.error();
    return Optional.of(error(held.parentId(), held.attempt(), error, true));
  }

  /** Keeps a report for when the link is back. */
  void hold(ObjectNode report) {
    pending.put(report.path("taskId").asText(), report);
  }

  /**
   * A new link is up: the reports to send on it, oldest first. Those kept while there was no link,
   * and with {@code resendUnconfirmed} also those the previous link never confirmed (it may have
   * dropped them in flight, however it ended): a cmws parent answers a report that did arrive twice
   * with {@code not_owner} and ignores it. A claude-mem parent would run a completion's side
   * effects again (reference §5.6), so it gets no second copy; a result it missed is retried there
   * when the task times out.
   */
  List<ObjectNode> newLink(boolean resendUnconfirmed) {
    Map<String, ObjectNode> again =
        resendUnconfirmed ? new LinkedHashMap<>(unconfirmed) : new LinkedHashMap<>();
    again.putAll(pending); // a newer report on the same task wins
    unconfirmed.clear();
    pending.clear();
    sinceLastHealth.clear();
    healthMarks.clear();
    return new ArrayList<>(again.values());
  }

  /**
   * A report went out on the link. It counts as delivered only once the parent acknowledges a
   * health report sent after it ({@code hub:heartbeat:ack} comes in order on the same link); until
   * then a lost link sends it again.
   */
  void sent(ObjectNode report) {
    String taskId = report.path("taskId").asText();
    unconfirmed.put(taskId, report);
    sinceLastHealth.add(taskId);
  }

  /** A health report went out: the reports before it are confirmed by its acknowledgement. */
  void healthSent() {
    healthMarks.add(List.copyOf(sinceLastHealth));
    sinceLastHealth.clear();
  }

  /** The parent acknowledged the oldest unacknowledged health report. */
  void healthAcknowledged() {
    List<String> confirmed = healthMarks.poll();
    if (confirmed != null) {
      confirmed.forEach(unconfirmed::remove);
    }
  }

  /** A local task's progress, as the report for the parent; empty if it is not the parent's. */
  Optional<ObjectNode> progress(JsonNode event) {
    Held held = byLocalId.get(event.path("taskId").asText());
    if (held == null) {
      return Optional.empty();
    }
    ObjectNode report =
        Json.object().put("type", "hub:task:progress").put("taskId", held.parentId());
    report.set("progress", event.get("progress"));
    if (event.hasNonNull("message")) {
      report.set("message", event.get("message"));
    }
    if (held.attempt() != null) {
      report.put("attempt", held.attempt());
    }
    return Optional.of(report);
  }

  /**
   * How often the parent must hear from this hub: its health reports keep the leases of the tasks
   * held here, so at least three times per the shortest of their timeouts.
   */
  long healthEveryMillis(long atMost) {
    long every = atMost;
    for (Held held : byLocalId.values()) {
      every = Math.min(every, Math.max(500, held.timeoutMs() / 3));
    }
    return every;
  }

  /** The parent's ids of the tasks this hub holds for it now (the cmws {@code running} field). */
  List<String> running() {
    return List.copyOf(byParentId.keySet());
  }

  /**
   * After a restart: parent tasks still unfinished here are the parent's again, and results of
   * those that finished lately are reported once more (the parent takes each for its current
   * attempt only).
   */
  void recover(long sinceMillis) {
    for (Task task : dispatcher.queue().list(null, 10_000)) {
      String clientId = task.request().clientId();
      String key = task.request().deduplicationKey();
      if (clientId == null || !clientId.startsWith(CLIENT_PREFIX) || key == null) {
        continue;
      }
      String parentId = clientId.substring(CLIENT_PREFIX.length());
      String attemptText = key.substring(key.lastIndexOf(':') + 1);
      Integer attempt = attemptText.equals("null") ? null : Integer.valueOf(attemptText);
      Held held = new Held(parentId, attempt, task.id(), task.request().timeoutMs());
      if (!task.state().isFinished()) {
        byLocalId.put(task.id(), held);
        byParentId.put(parentId, held);
      } else if (task.completedAt() != null && task.completedAt() >= sinceMillis) {
        byLocalId.put(task.id(), held);
        finished(
                new ServerFrame.TaskResult(
                    task.id(), task.state().wireName(), task.result(), task.error(), 1))
            .ifPresent(this::hold);
      }
    }
  }

  private TaskPeer watcher() {
    return new TaskPeer() {
      @Override
      public String id() {
        return "upstream";
      }

      @Override
      public boolean send(ServerFrame frame) {
        if (frame instanceof ServerFrame.TaskResult result) {
          outcomes.accept(result);
        }
        return true;
      }
    };
  }

  private static ObjectNode error(
      String parentId, Integer attempt, String error, boolean retryable) {
    ObjectNode report =
        Json.object()
            .put("type", "hub:task:error")
            .put("taskId", parentId)
            .put("error", error)
            .put("retryable", retryable);
    if (attempt != null) {
      report.put("attempt", attempt);
    }
    return report;
  }

  /** Whether any parent task runs here now. */
  boolean isEmpty() {
    return byLocalId.isEmpty();
  }
}
