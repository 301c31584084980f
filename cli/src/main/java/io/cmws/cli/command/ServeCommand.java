package io.cmws.cli.command;

import io.cmws.cli.option.serve.AccessOptions;
import io.cmws.cli.option.serve.FederationOptions;
import io.cmws.cli.option.serve.LimitOptions;
import io.cmws.cli.option.serve.LivenessOptions;
import io.cmws.cli.option.serve.NetworkOptions;
import io.cmws.cli.option.serve.StorageOptions;
import io.cmws.cli.option.serve.TaskQueueOptions;
import io.cmws.cli.option.serve.TlsKeystoreOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.cli.support.VersionProvider;
import io.cmws.hub.HubConfig;
import io.cmws.protocol.Json;
import io.cmws.redis.RedisUnavailableException;
import io.cmws.server.HubServer;
import io.cmws.server.ServerConfig;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cmws serve}: run a hub until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a hub (claude-mem compatible).",
      "One WebSocket endpoint for browsers, SSE-writers, workers, hubs and",
      "tools, wire-compatible with the claude-mem backend's /ws. Status goes",
      "to stderr; with --json the listening URLs also go to stdout as one",
      "JSON line. SIGTERM or Ctrl-C closes every client with 1001, exit 0."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM/Ctrl-C",
      "1:cannot listen (port in use, ...)",
      "2:bad option",
      "3:cannot reach Redis (--redis)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws serve                 # ws://127.0.0.1:37777/ws, admin :37779",
      "  cmws serve --port 0 --json # free port; the URL is on stdout",
      "  cmws serve --redis redis://127.0.0.1:6379   # one of several hubs",
      "  cmws serve --hub-name gpu-box --upstream ws://central:37777/ws --upstream-token \"$T\"",
      "  CMWS_TLS_PASSWORD=... cmws serve --tls-keystore hub.p12   # wss://",
      "  cmws serve --host 0.0.0.0 --token ops=\"$SECRET\" \\",
      "             --token ui=\"$UI_SECRET\":subscribe",
      "  curl -s http://127.0.0.1:37779/metrics"
    })
public final class ServeCommand extends BaseCommand implements Callable<Integer> {
  @Mixin NetworkOptions network;
  @Mixin AccessOptions access;
  @Mixin LimitOptions limits;
  @Mixin LivenessOptions liveness;
  @Mixin StorageOptions storage;
  @Mixin TaskQueueOptions taskQueue;
  @Mixin TlsKeystoreOptions tls;
  @Mixin FederationOptions federation;

  @Option(
      names = "--json",
      description = "Also print the listening URLs to stdout as one JSON line.")
  boolean json;

  @Override
  public Integer call() {
    ServerConfig config = config();
    HubServer server;
    try {
      server = HubServer.start(config, VersionProvider.version());
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "LISTEN", e.getMessage(), e);
    } catch (RedisUnavailableException e) {
      throw new CliException(ExitCode.CONNECTION, "REDIS", e.getMessage(), e);
    }
    String viewer = server.adminUrl().map(url -> "viewer " + url + "/").orElse("admin off");
    String where =
        config.redis() != null
            ? "shared through Redis at " + config.redis().describe()
            : config.store() == null ? "in memory" : "data in " + config.store().dataDir();
    status("hub listening on " + server.url() + " (" + viewer + "; " + where + ")");
    if (json) {
      var line = Json.object();
      line.put("type", "listening");
      line.put("url", server.url().toString());
      line.put("adminUrl", server.adminUrl().map(Object::toString).orElse(null));
      line.put("pid", ProcessHandle.current().pid());
      line.put("version", VersionProvider.version());
      out().println(Json.write(line));
      out().flush();
    }
    awaitShutdown(server);
    return ExitCode.OK;
  }

  /** Blocks until the JVM shuts down; then closes every client with 1001 and exits 0. */
  private void awaitShutdown(HubServer server) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  status(
                      "shutting down: closing "
                          + server.hub().connections().size()
                          + " connections");
                  server.close();
                  stopped.countDown();
                  if (root().processMode()) {
                    err().flush();
                    Runtime.getRuntime().halt(ExitCode.OK); // SIGTERM would otherwise exit 143
                  }
                },
                "cmws-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
  }

  ServerConfig config() {
    try {
      HubConfig hub =
          new HubConfig(
              access.policy(root().env(), network),
              liveness.heartbeatInterval(),
              liveness.heartbeatTimeout(),
              liveness.authTimeout(),
              taskQueue.tasks(),
              storage.historySize(),
              limits.limits(),
              access.browsers(network),
              federation.federation());
      return new ServerConfig(
          network.host(),
          network.port(),
          network.path(),
          network.adminPort(),
          limits.maxFrameSize(),
          limits.outbox(),
          hub,
          storage.store(root().env()),
          storage.retention(),
          storage.redis(),
          tls.tls(),
          limits.handshakes(),
          federation.upstream());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}
