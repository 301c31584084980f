package io.cmws.cli.option.serve;

import io.cmws.cli.support.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code cmws serve}: how the hub tells live clients from dead ones. */
public final class LivenessOptions {
  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_HEARTBEAT_INTERVAL:-30s}",
      description = "How often clients are pinged (default ${DEFAULT-VALUE}, as claude-mem).")
  Duration heartbeatInterval;

  @Option(
      names = "--heartbeat-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_HEARTBEAT_TIMEOUT:-60s}",
      description =
          "Close (4002) a client silent this long (default ${DEFAULT-VALUE}, as claude-mem).")
  Duration heartbeatTimeout;

  @Option(
      names = "--auth-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_AUTH_TIMEOUT:-10s}",
      description =
          "Close (4001) a connection that has not authenticated by then (default"
              + " ${DEFAULT-VALUE}).")
  Duration authTimeout;

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public Duration authTimeout() {
    return authTimeout;
  }
}
