package io.cmws.cli.option.serve;

import io.cmws.cli.support.ByteSizeConverter;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.hub.Limits;
import io.cmws.transport.HandshakeLimits;
import io.cmws.transport.OutboxLimits;
import io.cmws.transport.SlowConsumerPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code cmws serve}: what one client may take of the hub, and what happens to slow ones. */
public final class LimitOptions {
  @Option(
      names = "--max-frame-size",
      paramLabel = "SIZE",
      defaultValue = "${env:CMWS_MAX_FRAME_SIZE:-1MiB}",
      converter = ByteSizeConverter.class,
      description =
          "Largest message accepted; bigger ones close the connection with 1009 (default"
              + " ${DEFAULT-VALUE}).")
  int maxFrameSize;

  @Option(
      names = "--handshake-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_HANDSHAKE_TIMEOUT:-10s}",
      description =
          "Close a connection that has not finished its WebSocket handshake by then (default"
              + " ${DEFAULT-VALUE}).")
  Duration handshakeTimeout;

  @Option(
      names = "--max-handshakes-per-address",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_HANDSHAKES_PER_ADDRESS:-64}",
      description =
          "Unfinished handshakes from one remote address; more connections are closed at once"
              + " (default ${DEFAULT-VALUE}; loopback exempt unless --limit-loopback).")
  int maxHandshakesPerAddress;

  @Option(
      names = "--outbox-frames",
      paramLabel = "N",
      defaultValue = "${env:CMWS_OUTBOX_FRAMES:-10000}",
      description = "Frames that may wait for one slow client (default ${DEFAULT-VALUE}).")
  int outboxFrames;

  @Option(
      names = "--outbox-size",
      paramLabel = "SIZE",
      defaultValue = "${env:CMWS_OUTBOX_SIZE:-1MiB}",
      converter = ByteSizeConverter.class,
      description = "Bytes that may wait for one slow client (default ${DEFAULT-VALUE}).")
  int outboxBytes;

  @Option(
      names = "--slow-consumer",
      paramLabel = "POLICY",
      defaultValue = "${env:CMWS_SLOW_CONSUMER:-disconnect}",
      description =
          "When a client's outbox is full: disconnect (close 4008) or drop-oldest (it sees a seq"
              + " gap) (default ${DEFAULT-VALUE}).")
  String slowConsumer;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CONNECTIONS:-50000}",
      description =
          "Connections in total; more are closed with 1013 (env CMWS_MAX_CONNECTIONS; default"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CONNECTIONS_PER_ADDRESS:-1000}",
      description =
          "Connections from one remote address; more are closed with 1013 (default"
              + " ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  @Option(
      names = "--max-subscriptions",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_SUBSCRIPTIONS:-1000}",
      description = "Patterns one connection may subscribe to (default ${DEFAULT-VALUE}).")
  int maxSubscriptions;

  @Option(
      names = "--max-channels-per-subscribe",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CHANNELS_PER_SUBSCRIBE:-100}",
      description = "Patterns in one subscribe (default ${DEFAULT-VALUE}).")
  int maxChannelsPerSubscribe;

  @Option(
      names = "--rate-limit",
      paramLabel = "N[/BURST]",
      defaultValue = "${env:CMWS_RATE_LIMIT:-1000/2000}",
      description =
          "Messages a second one remote connection may send, and how many at once; more are"
              + " dropped with a rate_limited error, a flood is closed with 1008 (default"
              + " ${DEFAULT-VALUE}).")
  String rateLimit;

  @Option(
      names = "--max-tasks-per-submitter",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_TASKS_PER_SUBMITTER:-10000}",
      description =
          "Unfinished tasks one token (or, without a token, one address) may have (default"
              + " ${DEFAULT-VALUE}).")
  int maxTasksPerSubmitter;

  @Option(
      names = "--max-channels",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CHANNELS:-100000}",
      description =
          "Channels the hub keeps history for; publishing on a new one beyond is refused (default"
              + " ${DEFAULT-VALUE}).")
  int maxChannels;

  @Option(
      names = "--limit-loopback",
      defaultValue = "${env:CMWS_LIMIT_LOOPBACK:-false}",
      description =
          "Apply the per-address and rate limits to loopback clients too; by default local tools"
              + " are trusted, as the access policy trusts them.")
  boolean limitLoopback;

  public int maxFrameSize() {
    return maxFrameSize;
  }

  public HandshakeLimits handshakes() {
    return new HandshakeLimits(handshakeTimeout, maxHandshakesPerAddress);
  }

  public OutboxLimits outbox() {
    return new OutboxLimits(outboxFrames, outboxBytes, SlowConsumerPolicy.parse(slowConsumer));
  }

  public Limits limits() {
    String[] rate = rateLimit.split("/", 2);
    int perSecond;
    int burst;
    try {
      perSecond = Integer.parseInt(rate[0].trim());
      burst = rate.length > 1 ? Integer.parseInt(rate[1].trim()) : 2 * perSecond;
    } catch (NumberFormatException e) {
      throw CliException.usage(
          "--rate-limit must look like 1000 or 1000/2000, got '" + rateLimit + "'");
    }
    return new Limits(
        maxConnections,
        maxConnectionsPerAddress,
        maxSubscriptions,
        maxChannelsPerSubscribe,
        perSecond,
        burst,
        maxTasksPerSubmitter,
        maxChannels,
        limitLoopback);
  }
}
