package io.cmws.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;

/**
 * Channel events about tasks, with claude-mem's payload shapes (reference-protocol §4.2) plus extra
 * fields, and the extensions {@code task:retrying} and {@code task:cancelled}.
 */
final class TaskEvents {
  private final ChannelPublisher publisher;

  TaskEvents(ChannelPublisher publisher) {
    this.publisher = publisher;
  }

  void queued(String taskId, String type) {
    ObjectNode data = Json.object().put("taskId", taskId).put("taskType", type);
    publisher.publish("task:queued", data);
  }

  void assigned(TaskQueue.Claimed claimed) {
    ObjectNode data =
        Json.object()
            .put("taskId", claimed.taskId())
            .put("workerId", claimed.workerId())
            .put("taskType", claimed.type())
            .put("attempt", claimed.attempt());
    namingHub(data, claimed.workerId());
    publisher.publish("task:assigned", data);
  }

  void progress(String taskId, String workerId, Double progress, String message) {
    ObjectNode data = Json.object().put("taskId", taskId).put("workerId", workerId);
    namingHub(data, workerId);
    data.put("progress", progress);
    if (message != null) {
      data.put("message", message);
    }
    publisher.publish("task:progress", data);
  }

  /** Publishes what a state change means; nothing for changes that did not happen. */
  void transition(TaskQueue.Transition t) {
    switch (t.kind()) {
      case COMPLETED -> publisher.publish("task:completed", base(t));
      case FAILED ->
          publisher.publish(
              "task:failed", base(t).put("error", t.error()).put("retries", t.attempt()));
      case RETRYING, REQUEUED ->
          publisher.publish(
              "task:retrying",
              base(t)
                  .put("error", t.error())
                  .put("attempt", t.attempt())
                  .put("delayMs", t.delayMs()));
      case CANCELLED -> publisher.publish("task:cancelled", base(t).put("reason", t.error()));
      default -> {}
    }
  }

  private static ObjectNode base(TaskQueue.Transition t) {
    ObjectNode data = Json.object().put("taskId", t.taskId());
    if (t.workerId() != null) {
      data.put("workerId", t.workerId());
      namingHub(data, t.workerId());
    }
    return data.put("taskType", t.type());
  }

  /** A task on a federated hub's pool names the hub ({@code hub:NAME[/worker]} → NAME). */
  private static void namingHub(ObjectNode data, String workerId) {
    String hub = Task.hubOf(workerId);
    if (hub != null) {
      data.put("hub", hub);
    }
  }
}
