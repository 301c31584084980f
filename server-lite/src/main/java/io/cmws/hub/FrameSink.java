package io.cmws.hub;

import io.cmws.protocol.EventMessage;

/**
 * The transport side of one connection. Implementations never block: they queue and return. Called
 * from any thread; frames queued by one thread go out in the order queued.
 */
public interface FrameSink {
  /** Queues a text frame; false if the connection is no longer open. */
  boolean sendText(String json);

  /** Queues an event, encoded for this transport; false if the connection is no longer open. */
  boolean sendEvent(EventMessage event, String pattern);

  /** Sends a transport-level ping if the transport has one (WebSocket control frame). */
  default void sendPing() {}

  /** Closes with a WebSocket close code and reason; idempotent. */
  void close(int code, String reason);

  boolean isOpen();
}
