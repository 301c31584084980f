package io.cmws.hub;

import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.ServerFrame;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * Frames about the connection itself: {@code auth}, and the liveness signals {@code ping}, {@code
 * pong} and {@code heartbeat} (reference-protocol §3.4: workers prove liveness only with {@code
 * heartbeat}, other clients with any of them). Runs on the connection's transport thread.
 */
final class ConnectionFrames {
  private final AuthHandler auth;
  private final TaskFrames tasks;
  private final Clock clock;
  private final LongSupplier nanoTime;

  ConnectionFrames(AuthHandler auth, TaskFrames tasks, Clock clock, LongSupplier nanoTime) {
    this.auth = auth;
    this.tasks = tasks;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  void routes(FrameRoutes routes) {
    routes.any(ClientFrame.Auth.class, auth::auth);
    routes.any(ClientFrame.Ping.class, this::ping);
    routes.any(ClientFrame.Pong.class, (connection, pong) -> markAlive(connection, false));
    routes.any(ClientFrame.Heartbeat.class, this::heartbeat);
  }

  private void ping(Connection connection, ClientFrame.Ping ping) {
    markAlive(connection, false);
    connection.send(new ServerFrame.Pong());
  }

  private void heartbeat(Connection connection, ClientFrame.Heartbeat heartbeat) {
    markAlive(connection, true);
    if (connection.isRegistered()) {
      tasks.heartbeat(connection, heartbeat);
    }
    connection.send(new ServerFrame.HeartbeatAck(clock.millis()));
  }

  private void markAlive(Connection connection, boolean heartbeatFrame) {
    if (heartbeatFrame || connection.type() != ClientType.WORKER) {
      connection.seen(nanoTime.getAsLong());
    }
  }
}
