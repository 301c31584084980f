package io.cmws.cli.option;

import io.cmws.cli.support.DurationConverter;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the hub is and how to authenticate: flag, then environment, then default. */
public final class ConnectionOptions {
  public static final String DEFAULT_URL = "ws://127.0.0.1:37777/ws";

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:CMWS_URL:-" + DEFAULT_URL + "}",
      description = "Hub WebSocket URL (env CMWS_URL; default ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--token",
      paramLabel = "SECRET",
      defaultValue = "${env:CMWS_TOKEN}",
      description = "Token secret to authenticate with (env CMWS_TOKEN). Without it no token is sent.")
  String token;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CMWS_CONNECT_TIMEOUT:-5s}",
      converter = DurationConverter.class,
      description = "How long to wait for the hub to answer (env CMWS_CONNECT_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  public URI url() {
    return url;
  }

  public String token() {
    return token;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }
}
