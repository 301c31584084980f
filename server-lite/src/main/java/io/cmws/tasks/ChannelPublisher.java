package io.cmws.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Publishes an event on a channel: the hub's own publish, for task and worker events. Called from
 * the dispatcher while it holds its lock, on whatever thread drives the dispatcher (the task lane
 * or a transport thread); must not block, and reports failures itself rather than throwing.
 */
@FunctionalInterface
public interface ChannelPublisher {
  void publish(String channel, JsonNode data);
}
