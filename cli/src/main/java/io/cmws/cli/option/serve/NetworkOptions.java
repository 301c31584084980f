package io.cmws.cli.option.serve;

import io.cmws.cli.support.CliException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** {@code cmws serve}: where the hub listens. */
public final class NetworkOptions {
  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "${env:CMWS_HOST:-127.0.0.1}",
      description = "Address to listen on (env CMWS_HOST; default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      defaultValue = "${env:CMWS_PORT:-37777}",
      description = "WebSocket port; 0 picks a free one (env CMWS_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--path",
      paramLabel = "PATH",
      defaultValue = "${env:CMWS_PATH:-/ws}",
      description = "WebSocket path (env CMWS_PATH; default ${DEFAULT-VALUE}).")
  String path;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "${env:CMWS_ADMIN_PORT}",
      description =
          "Port of /health, /metrics and /api/stream: default the WebSocket port + 2 (37779),"
              + " a free port with --port 0; -1 turns it off (env CMWS_ADMIN_PORT).")
  Integer adminPort;

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String path() {
    return path;
  }

  /** The admin port: as given, else the WebSocket port + 2 (a free one with port 0). */
  public int adminPort() {
    return adminPort != null ? adminPort : port == 0 ? 0 : port + 2;
  }

  /** Whether the hub listens on a loopback address only. */
  public boolean loopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw CliException.usage("unknown host '" + host + "'");
    }
  }
}
