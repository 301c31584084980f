package io.cmws.cli.option;

import io.cmws.cli.client.HubUrls;
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
      description =
          "Hub WebSocket URL (env CMWS_URL; default ${DEFAULT-VALUE}). Several, comma-separated:"
              + " tried in turn, and the next one is used when the current one fails.")
  String url;

  private HubUrls hubs;

  @Option(
      names = "--token",
      paramLabel = "SECRET",
      defaultValue = "${env:CMWS_TOKEN}",
      description =
          "Token secret to authenticate with (env CMWS_TOKEN). Without it no token is sent.")
  String token;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:CMWS_CONNECT_TIMEOUT:-5s}",
      converter = DurationConverter.class,
      description =
          "How long to wait for the hub to answer (env CMWS_CONNECT_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  /** The hub in use: the first until a failover moved on. */
  public URI url() {
    return hubs().current();
  }

  /** Every hub given, with the one in use. */
  public HubUrls hubs() {
    if (hubs == null) {
      hubs = HubUrls.parse(url == null ? DEFAULT_URL : url);
    }
    return hubs;
  }

  public String token() {
    return token;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }
}
