package io.cmws.hub;

import io.cmws.tasks.TasksConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How the hub treats clients. Defaults are the claude-mem reference's: JSON ping every 30 s, close
 * 4002 after 60 s without a liveness signal; plus a 10 s pre-auth timeout the reference lacks.
 */
public record HubConfig(
    AccessPolicy access,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration preAuthTimeout,
    TasksConfig tasks,
    int historySize,
    Limits limits,
    BrowserGuard browsers,
    Federation federation) {

  /**
   * How this hub shares work with federated hubs, and how long a hub on {@code /ws/hub} may stay
   * silent before it is closed with 4005 (claude-mem's 180 s).
   */
  public record Federation(io.cmws.tasks.FederationPolicy policy, Duration healthTimeout) {
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(180);

    public Federation {
      Objects.requireNonNull(policy, "policy");
      requirePositive("hub health timeout", healthTimeout);
    }

    public static Federation standard() {
      return new Federation(io.cmws.tasks.FederationPolicy.standard(), DEFAULT_HEALTH_TIMEOUT);
    }
  }

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_PRE_AUTH_TIMEOUT = Duration.ofSeconds(10);

  /** Events kept per channel for replay. */
  public static final int DEFAULT_HISTORY_SIZE = 1000;

  public HubConfig {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(browsers, "browsers");
    Objects.requireNonNull(federation, "federation");
    if (historySize < 0 || historySize > 1_000_000) {
      throw new IllegalArgumentException(
          "history size must be 0..1000000 events per channel, got " + historySize);
    }
    requirePositive("heartbeat interval", heartbeatInterval);
    requirePositive("heartbeat timeout", heartbeatTimeout);
    requirePositive("pre-auth timeout", preAuthTimeout);
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "heartbeat timeout ("
              + heartbeatTimeout
              + ") must be longer than the heartbeat interval ("
              + heartbeatInterval
              + "), or clients that answer every ping would still time out");
    }
  }

  public static HubConfig defaults() {
    return new HubConfig(
        new AccessPolicy(TokenRegistry.none(), false),
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_HEARTBEAT_TIMEOUT,
        DEFAULT_PRE_AUTH_TIMEOUT,
        TasksConfig.standard(),
        DEFAULT_HISTORY_SIZE,
        Limits.standard(),
        BrowserGuard.loopbackOnly(),
        Federation.standard());
  }

  public HubConfig withAccess(AccessPolicy newAccess) {
    return new HubConfig(
        newAccess,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        tasks,
        historySize,
        limits,
        browsers,
        federation);
  }

  public HubConfig withHeartbeat(Duration interval, Duration timeout) {
    return new HubConfig(
        access,
        interval,
        timeout,
        preAuthTimeout,
        tasks,
        historySize,
        limits,
        browsers,
        federation);
  }

  public HubConfig withPreAuthTimeout(Duration timeout) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        timeout,
        tasks,
        historySize,
        limits,
        browsers,
        federation);
  }

  public HubConfig withHistorySize(int size) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        tasks,
        size,
        limits,
        browsers,
        federation);
  }

  public HubConfig withLimits(Limits newLimits) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        tasks,
        historySize,
        newLimits,
        browsers,
        federation);
  }

  public HubConfig withTasks(TasksConfig newTasks) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        newTasks,
        historySize,
        limits,
        browsers,
        federation);
  }

  public HubConfig withBrowsers(BrowserGuard guard) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        tasks,
        historySize,
        limits,
        guard,
        federation);
  }

  public HubConfig withFederation(Federation newFederation) {
    return new HubConfig(
        access,
        heartbeatInterval,
        heartbeatTimeout,
        preAuthTimeout,
        tasks,
        historySize,
        limits,
        browsers,
        newFederation);
  }

  private static void requirePositive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }
}
