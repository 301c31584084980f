package io.cmws.server;

import io.cmws.federation.UpstreamConfig;
import io.cmws.hub.HubConfig;
import io.cmws.redis.RedisSettings;
import io.cmws.store.StoreOptions;
import io.cmws.transport.HandshakeLimits;
import io.cmws.transport.OutboxLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the hub listens. {@code adminPort} serves {@code /health}, {@code /metrics} and the
 * legacy {@code /api/stream}: 0 picks a free port, {@link #ADMIN_DISABLED} turns it off. A null
 * {@code store} keeps everything in memory ({@code --ephemeral}); {@code retention} is how long
 * finished tasks stay inspectable. With {@code redis}, several hubs share channels, history and
 * tasks through it and {@code store} is not used.
 */
public record ServerConfig(
    String host,
    int port,
    String path,
    int adminPort,
    int maxFrameBytes,
    OutboxLimits outbox,
    HubConfig hub,
    StoreOptions store,
    Duration retention,
    RedisSettings redis,
    TlsOptions tls,
    HandshakeLimits handshakes,
    UpstreamConfig upstream) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** claude-mem's backend port, so its clients connect unchanged. */
  public static final int DEFAULT_PORT = 37777;

  public static final String DEFAULT_PATH = "/ws";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
  public static final int ADMIN_DISABLED = -1;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(handshakes, "handshakes");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (adminPort < ADMIN_DISABLED || adminPort > 65535) {
      throw new IllegalArgumentException(
          "admin port must be -1 (off) or 0-65535, got " + adminPort);
    }
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException(
          "max frame size must be at least 1024 bytes, got " + maxFrameBytes);
    }
  }

  /** Loopback, a free port for both endpoints, reference defaults otherwise: what tests use. */
  public static ServerConfig ephemeral() {
    return new ServerConfig(
        DEFAULT_HOST,
        0,
        DEFAULT_PATH,
        0,
        DEFAULT_MAX_FRAME_BYTES,
        OutboxLimits.standard(),
        HubConfig.defaults(),
        null,
        StoreOptions.DEFAULT_RETENTION,
        null,
        null,
        HandshakeLimits.standard(),
        null);
  }

  /**
   * Shares channels, history and tasks with other hubs through Redis; null for a hub of its own.
   */
  public ServerConfig withRedis(RedisSettings settings) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        settings,
        tls,
        handshakes,
        upstream);
  }

  /** Serves {@code wss://} with this certificate; null for plain {@code ws://}. */
  public ServerConfig withTls(TlsOptions options) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        options,
        handshakes,
        upstream);
  }

  public ServerConfig withHub(HubConfig newHub) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        newHub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        upstream);
  }

  public ServerConfig withMaxFrameBytes(int bytes) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        bytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        upstream);
  }

  public ServerConfig withAdminPort(int newAdminPort) {
    return new ServerConfig(
        host,
        port,
        path,
        newAdminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        upstream);
  }

  public ServerConfig withOutbox(OutboxLimits limits) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        limits,
        hub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        upstream);
  }

  /** Durable: tasks (and history, if so configured) in SQLite under {@code options.dataDir()}. */
  public ServerConfig withStore(StoreOptions options) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        options,
        options == null ? retention : options.retention(),
        redis,
        tls,
        handshakes,
        upstream);
  }

  public ServerConfig withHandshakes(HandshakeLimits limits) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        tls,
        limits,
        upstream);
  }

  /** Joins a parent hub as a worker pool; null for a hub of its own. */
  public ServerConfig withUpstream(UpstreamConfig parent) {
    return new ServerConfig(
        host,
        port,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        parent);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host,
        newPort,
        path,
        adminPort,
        maxFrameBytes,
        outbox,
        hub,
        store,
        retention,
        redis,
        tls,
        handshakes,
        upstream);
  }
}
