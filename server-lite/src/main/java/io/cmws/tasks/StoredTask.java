package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A task as a store keeps it: the snapshot plus its place in submission order ({@code seq}), all a
 * restart needs to rebuild the queue.
 */
public record StoredTask(Task task, long seq) {

  public boolean isFinished() {
    return task.state().isFinished();
  }

  /** The task's wire shape plus {@code seq}. */
  public ObjectNode toJson() {
    return task.toJson().put("seq", seq);
  }

  /** Reads {@link #toJson}, and what earlier versions wrote (the same fields, {@code owner}). */
  public static StoredTask fromJson(JsonNode node) {
    return new StoredTask(Task.fromJson(node), node.path("seq").asLong());
  }
}
