package io.cmws.protocol;

/** WebSocket close codes the hub uses; 4001/4002/1001 are claude-mem's, the rest are standard. */
public final class CloseCodes {
  public static final int NORMAL = 1000;

  /** Hub shutting down: claude-mem backend uses 1001 "Server shutting down". */
  public static final int GOING_AWAY = 1001;

  /** A message larger than the configured frame limit. */
  public static final int TOO_BIG = 1009;

  /** The client broke a policy: a message flood far beyond its rate limit. */
  public static final int POLICY = 1008;

  /** The hub is at its connection limit (total, or for this address); try later. */
  public static final int TRY_AGAIN_LATER = 1013;

  /** Authentication failed, or the pre-auth timeout ran out. */
  public static final int UNAUTHORIZED = 4001;

  /** No liveness signal (pong or heartbeat) within the heartbeat timeout. */
  public static final int HEARTBEAT_TIMEOUT = 4002;

  /** cmws: the connection's outbox overflowed under the disconnect policy. */
  public static final int SLOW_CONSUMER = 4008;

  // On /ws/hub (reference-protocol §3.5): the same numbers mean other things there.

  /** {@code /ws/hub}: a second {@code auth}, "Unexpected auth message". */
  public static final int HUB_UNEXPECTED_AUTH = 4002;

  /** {@code /ws/hub}: "Invalid token". */
  public static final int HUB_INVALID_TOKEN = 4003;

  /** {@code /ws/hub}: {@code hub:register} before {@code auth} where one is needed. */
  public static final int HUB_AUTH_REQUIRED = 4004;

  /** {@code /ws/hub}: no {@code hub:health} within the health timeout. */
  public static final int HUB_HEALTH_TIMEOUT = 4005;

  public static final String SHUTTING_DOWN_REASON = "Server shutting down";

  private CloseCodes() {}
}
