package io.cmws.hub;

/**
 * What one client may take of a hub. Connection counts per address and the message rate apply to
 * remote clients; loopback clients are local tools the hub trusts (as its access policy does)
 * unless {@code limitLoopback} is set. The rest apply to everyone. {@code maxChannels} bounds the
 * channels a hub keeps history for: publishing on one more is refused.
 */
public record Limits(
    int maxConnections,
    int maxConnectionsPerAddress,
    int maxSubscriptionsPerConnection,
    int maxChannelsPerSubscribe,
    int messagesPerSecond,
    int burst,
    int maxTasksPerSubmitter,
    int maxChannels,
    boolean limitLoopback) {

  public Limits {
    requirePositive("max connections", maxConnections);
    requirePositive("max connections per address", maxConnectionsPerAddress);
    requirePositive("max subscriptions per connection", maxSubscriptionsPerConnection);
    requirePositive("max channels per subscribe", maxChannelsPerSubscribe);
    requirePositive("messages per second", messagesPerSecond);
    requirePositive("max unfinished tasks per submitter", maxTasksPerSubmitter);
    requirePositive("max channels", maxChannels);
    if (burst < messagesPerSecond) {
      throw new IllegalArgumentException(
          "burst (" + burst + ") must be at least the rate (" + messagesPerSecond + ")");
    }
  }

  public static Limits standard() {
    return new Limits(50_000, 1_000, 1_000, 100, 1_000, 2_000, 10_000, 100_000, false);
  }

  /** Whether per-address and rate limits apply to this peer. */
  boolean appliesTo(RemotePeer peer) {
    return limitLoopback || !peer.loopback();
  }

  public Limits withConnections(int total, int perAddress) {
    return new Limits(
        total,
        perAddress,
        maxSubscriptionsPerConnection,
        maxChannelsPerSubscribe,
        messagesPerSecond,
        burst,
        maxTasksPerSubmitter,
        maxChannels,
        limitLoopback);
  }

  public Limits withSubscriptions(int perConnection, int perSubscribe) {
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        perConnection,
        perSubscribe,
        messagesPerSecond,
        burst,
        maxTasksPerSubmitter,
        maxChannels,
        limitLoopback);
  }

  public Limits withRate(int perSecond, int newBurst) {
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        maxSubscriptionsPerConnection,
        maxChannelsPerSubscribe,
        perSecond,
        newBurst,
        maxTasksPerSubmitter,
        maxChannels,
        limitLoopback);
  }

  public Limits withTasksPerSubmitter(int max) {
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        maxSubscriptionsPerConnection,
        maxChannelsPerSubscribe,
        messagesPerSecond,
        burst,
        max,
        maxChannels,
        limitLoopback);
  }

  public Limits withMaxChannels(int max) {
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        maxSubscriptionsPerConnection,
        maxChannelsPerSubscribe,
        messagesPerSecond,
        burst,
        maxTasksPerSubmitter,
        max,
        limitLoopback);
  }

  public Limits withLimitLoopback(boolean value) {
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        maxSubscriptionsPerConnection,
        maxChannelsPerSubscribe,
        messagesPerSecond,
        burst,
        maxTasksPerSubmitter,
        maxChannels,
        value);
  }

  private static void requirePositive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }
}
