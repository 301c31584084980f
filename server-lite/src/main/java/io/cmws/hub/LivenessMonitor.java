package io.cmws.hub;

import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.ServerFrame;
import java.time.Duration;

/**
 * The heartbeat tick of reference-protocol §3.4: closes connections silent for longer than the
 * timeout with 4002, pings browsers, SSE-writers and hubs with JSON {@code ping}, and workers with
 * WebSocket ping frames (used for latency only; workers prove liveness with {@code heartbeat}).
 * Runs on the hub's scheduler thread.
 */
final class LivenessMonitor {
  static final String TIMEOUT_REASON = "Heartbeat timeout";

  private final ConnectionRegistry registry;
  private final HubMetrics metrics;
  private final long timeoutNanos;

  private final long healthTimeoutNanos;

  /** {@code healthTimeout}: how long a hub on {@code /ws/hub} may go without {@code hub:health}. */
  LivenessMonitor(
      ConnectionRegistry registry, HubMetrics metrics, Duration timeout, Duration healthTimeout) {
    this.registry = registry;
    this.metrics = metrics;
    this.timeoutNanos = timeout.toNanos();
    this.healthTimeoutNanos = healthTimeout.toNanos();
  }

  void tick(long nowNanos) {
    for (Connection connection : registry.all()) {
      ClientType type = connection.type();
      if (type == ClientType.PENDING || type == ClientType.LEGACY_SSE) {
        continue;
      }
      if (connection.endpoint() == Endpoint.FEDERATION) {
        // reference §6.2: hub:health is the only liveness signal there, and nobody is pinged
        if (nowNanos - connection.lastSeenNanos() > healthTimeoutNanos) {
          metrics.error("health_timeout");
          connection.close(CloseCodes.HUB_HEALTH_TIMEOUT, "Health timeout");
        }
        continue;
      }
      if (nowNanos - connection.lastSeenNanos() > timeoutNanos) {
        metrics.error("heartbeat_timeout");
        connection.close(CloseCodes.HEARTBEAT_TIMEOUT, TIMEOUT_REASON);
      } else if (type == ClientType.WORKER) {
        connection.pingSent(nowNanos);
        connection.sink().sendPing();
      } else {
        connection.send(new ServerFrame.Ping());
      }
    }
  }
}
