package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.ProtocolException;
import io.cmws.protocol.ServerFrame;

/** Turns a refusal into the {@code error} frame its sender gets, and counts it. Thread-safe. */
final class ErrorReplies {
  private final HubMetrics metrics;

  ErrorReplies(HubMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code type}: the refused frame's wire type, or null if it had none. */
  void send(Connection connection, String type, ClientFrame frame, ProtocolException e) {
    metrics.error(e.code().wireName());
    String permission =
        e instanceof PermissionDenied denied ? denied.permission().wireName() : null;
    String id = frame instanceof ClientFrame.Publish p ? p.id() : null;
    connection.send(
        new ServerFrame.Error(e.getMessage(), e.code().wireName(), type, permission, id));
  }

  void send(Connection connection, ClientFrame frame, ProtocolException e) {
    send(connection, ClientFrame.typeName(frame), frame, e);
  }
}
