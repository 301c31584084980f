package io.cmws.cli.command;

import io.cmws.cli.Main;
import io.cmws.cli.support.ByteSizeConverter;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.cli.support.VersionProvider;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.BrowserGuard;
import io.cmws.hub.HubConfig;
import io.cmws.hub.Limits;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.protocol.Json;
import io.cmws.redis.RedisSettings;
import io.cmws.redis.RedisUnavailableException;
import io.cmws.server.HubServer;
import io.cmws.server.ServerConfig;
import io.cmws.server.TlsOptions;
import io.cmws.store.StoreOptions;
import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TasksConfig;
import io.cmws.transport.HandshakeLimits;
import io.cmws.transport.OutboxLimits;
import io.cmws.transport.SlowConsumerPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
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
      "  CMWS_TLS_PASSWORD=... cmws serve --tls-keystore hub.p12   # wss://",
      "  cmws serve --host 0.0.0.0 --token ops=\"$SECRET\" \\",
      "             --token ui=\"$UI_SECRET\":subscribe",
      "  curl -s http://127.0.0.1:37779/metrics"
    })
public final class ServeCommand extends BaseCommand implements Callable<Integer> {

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

  @Option(
      names = "--token",
      paramLabel = "NAME=SECRET[:PERMS]",
      description =
          "A token clients may present; PERMS is a comma list of subscribe, broadcast, task:receive,"
              + " task:complete, task:submit, federate, admin (none listed: all). Repeatable."
              + " Env CMWS_HUB_TOKENS holds more, separated by spaces.")
  List<String> tokens = new ArrayList<>();

  @Option(
      names = "--tokens-file",
      paramLabel = "FILE",
      defaultValue = "${env:CMWS_TOKENS_FILE}",
      description =
          "File with one NAME=SECRET[:PERMS] [channels=P1,P2] per line (env CMWS_TOKENS_FILE).")
  Path tokensFile;

  @Option(
      names = "--token-channels",
      paramLabel = "NAME=PATTERN[,PATTERN...]",
      description =
          "Limit token NAME to these channels: it may subscribe only to patterns inside them and publish"
              + " only on channels they match, e.g. ui=session:*. Repeatable.")
  List<String> tokenChannels = new ArrayList<>();

  @Option(
      names = "--allowed-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:CMWS_ALLOWED_ORIGINS}",
      description =
          "Web pages allowed to connect besides loopback ones (http(s)://localhost, 127.x.x.x, [::1] on"
              + " any port), e.g. https://app.example.com (comma-separated or repeated; env CMWS_ALLOWED_ORIGINS)."
              + " A handshake with another Origin is refused with 403; '*' lets pages of any web site in."
              + " Clients that send no Origin (tools, workers) are not affected.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(
      names = "--allowed-host",
      paramLabel = "HOST",
      split = ",",
      defaultValue = "${env:CMWS_ALLOWED_HOSTS}",
      description =
          "Host names clients may use to reach this hub, besides localhost, 127.x.x.x and [::1] while it"
              + " listens on loopback (comma-separated or repeated; env CMWS_ALLOWED_HOSTS). Other Host headers are"
              + " refused with 403, which stops DNS rebinding. On a network address, only listed hosts are checked.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--handshake-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:CMWS_HANDSHAKE_TIMEOUT:-10s}",
      description =
          "Close a connection that has not finished its WebSocket handshake by then (default ${DEFAULT-VALUE}).")
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
      names = "--allow-anonymous",
      defaultValue = "${env:CMWS_ALLOW_ANONYMOUS:-false}",
      description =
          "Let non-loopback clients in without a token, with their type's default permissions"
              + " (env CMWS_ALLOW_ANONYMOUS).")
  boolean allowAnonymous;

  @Option(
      names = "--max-frame-size",
      paramLabel = "SIZE",
      defaultValue = "${env:CMWS_MAX_FRAME_SIZE:-1MiB}",
      converter = ByteSizeConverter.class,
      description =
          "Largest message accepted; bigger ones close the connection with 1009 (default ${DEFAULT-VALUE}).")
  int maxFrameSize;

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
          "Close (4001) a connection that has not authenticated by then (default ${DEFAULT-VALUE}).")
  Duration authTimeout;

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
          "When a client's outbox is full: disconnect (close 4008) or drop-oldest (it sees a seq gap)"
              + " (default ${DEFAULT-VALUE}).")
  String slowConsumer;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:CMWS_DATA_DIR}",
      description =
          "Where tasks and history are kept (SQLite; env CMWS_DATA_DIR;"
              + " default ${XDG_DATA_HOME:-~/.local/share}/cmws). One hub per directory.")
  Path dataDir;

  @Option(
      names = "--ephemeral",
      defaultValue = "${env:CMWS_EPHEMERAL:-false}",
      description =
          "Keep everything in memory: tasks and history are lost when the hub stops (env CMWS_EPHEMERAL).")
  boolean ephemeral;

  @Option(
      names = "--persist-history",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Keep channel history in the store too, so replay works across restarts (default: on).")
  boolean persistHistory;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "${env:CMWS_RETENTION:-24h}",
      converter = DurationConverter.class,
      description = "How long finished tasks stay inspectable (default ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(
      names = "--fsync",
      description =
          "Commit to the disk before acknowledging (survives power loss, slower);"
              + " by default commits survive a crash of the hub but not of the machine.")
  boolean fsync;

  @Option(
      names = "--history-size",
      paramLabel = "N",
      defaultValue = "${env:CMWS_HISTORY_SIZE:-1000}",
      description =
          "Events kept per channel for replay to reconnecting subscribers (default ${DEFAULT-VALUE}; 0: none).")
  int historySize;

  @Option(
      names = "--max-waiting-tasks",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_WAITING_TASKS:-10000}",
      description = "Refuse task:submit while this many tasks wait (default ${DEFAULT-VALUE}).")
  int maxWaitingTasks;

  @Option(
      names = "--retry-policy",
      paramLabel = "TYPE=INITIAL,MAX,JITTER",
      description =
          "Backoff before retrying a failed task of TYPE ('*' for every other type), e.g."
              + " 'observation=500ms,30s,0.1'. Defaults are claude-mem's (1s,60s,0.2 for other types). Repeatable.")
  List<String> retryPolicies = new ArrayList<>();

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CONNECTIONS:-50000}",
      description =
          "Connections in total; more are closed with 1013 (env CMWS_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CONNECTIONS_PER_ADDRESS:-1000}",
      description =
          "Connections from one remote address; more are closed with 1013 (default ${DEFAULT-VALUE}).")
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
          "Messages a second one remote connection may send, and how many at once; more are dropped"
              + " with a rate_limited error, a flood is closed with 1008 (default ${DEFAULT-VALUE}).")
  String rateLimit;

  @Option(
      names = "--max-tasks-per-submitter",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_TASKS_PER_SUBMITTER:-10000}",
      description =
          "Unfinished tasks one token (or, without a token, one address) may have (default ${DEFAULT-VALUE}).")
  int maxTasksPerSubmitter;

  @Option(
      names = "--max-channels",
      paramLabel = "N",
      defaultValue = "${env:CMWS_MAX_CHANNELS:-100000}",
      description =
          "Channels the hub keeps history for; publishing on a new one beyond is refused (default ${DEFAULT-VALUE}).")
  int maxChannels;

  @Option(
      names = "--limit-loopback",
      defaultValue = "${env:CMWS_LIMIT_LOOPBACK:-false}",
      description =
          "Apply the per-address and rate limits to loopback clients too; by default local tools are"
              + " trusted, as the access policy trusts them.")
  boolean limitLoopback;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      defaultValue = "${env:CMWS_TLS_KEYSTORE}",
      description =
          "Serve wss:// with the certificate and key in this keystore (PKCS#12 or JKS; env CMWS_TLS_KEYSTORE).")
  Path tlsKeystore;

  @Option(
      names = "--tls-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:CMWS_TLS_PASSWORD}",
      description =
          "The keystore's password (env CMWS_TLS_PASSWORD, which keeps it out of the process list).")
  String tlsPassword;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      defaultValue = "${env:CMWS_REDIS}",
      description =
          "Share channels, history and tasks with every hub on this Redis: redis://[user:password@]host:port[/db]"
              + " or rediss:// for TLS (env CMWS_REDIS). The data dir is not used then.")
  String redis;

  @Option(
      names = "--redis-prefix",
      paramLabel = "PREFIX",
      defaultValue = "${env:CMWS_REDIS_PREFIX:-cmws}",
      description =
          "Prefix of every Redis key and channel; hubs with the same Redis and prefix form one group"
              + " (env CMWS_REDIS_PREFIX; default ${DEFAULT-VALUE}).")
  String redisPrefix;

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
    String admin = server.adminUrl().map(Object::toString).orElse("off");
    String where =
        config.redis() != null
            ? "shared through Redis at " + config.redis().describe()
            : config.store() == null ? "in memory" : "data in " + config.store().dataDir();
    status("hub listening on " + server.url() + " (admin " + admin + "; " + where + ")");
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
                  if (Main.isProcessMode()) {
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
    List<TokenSpec> specs = new ArrayList<>();
    try {
      for (String spec : tokens) {
        specs.add(TokenSpec.parse(spec));
      }
      String envTokens = root().env().get("CMWS_HUB_TOKENS");
      if (envTokens != null) {
        for (String spec : envTokens.trim().split("\\s+")) {
          if (!spec.isEmpty()) {
            specs.add(TokenSpec.parse(spec));
          }
        }
      }
      if (tokensFile != null) {
        specs.addAll(TokenRegistry.readFile(tokensFile));
      }
      TokenRegistry registry = new TokenRegistry(withChannelLimits(specs));
      requireSafeExposure(registry);
      BrowserGuard browsers =
          new BrowserGuard(
              allowedOrigins == null ? List.of() : allowedOrigins,
              allowedHosts == null ? List.of() : allowedHosts,
              isLoopback(host));
      HubConfig hub =
          new HubConfig(
              new AccessPolicy(registry, allowAnonymous),
              heartbeatInterval,
              heartbeatTimeout,
              authTimeout,
              TasksConfig.standard().withMaxWaiting(maxWaitingTasks).withDefaults(taskDefaults()),
              historySize,
              limits(),
              browsers);
      int admin = adminPort != null ? adminPort : port == 0 ? 0 : port + 2;
      OutboxLimits outbox =
          new OutboxLimits(outboxFrames, outboxBytes, SlowConsumerPolicy.parse(slowConsumer));
      RedisSettings shared =
          redis == null || redis.isBlank()
              ? null
              : new RedisSettings(java.net.URI.create(redis.trim()), redisPrefix);
      StoreOptions store =
          ephemeral || shared != null
              ? null
              : new StoreOptions(dataDir(), persistHistory, retention, fsync);
      TlsOptions tls = tlsKeystore == null ? null : new TlsOptions(tlsKeystore, tlsPassword);
      return new ServerConfig(
          host,
          port,
          path,
          admin,
          maxFrameSize,
          outbox,
          hub,
          store,
          retention,
          shared,
          tls,
          new HandshakeLimits(handshakeTimeout, maxHandshakesPerAddress));
    } catch (IOException e) {
      throw CliException.usage("cannot read tokens file: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String dataHome = root().env().get("XDG_DATA_HOME");
    return dataHome == null || dataHome.isBlank()
        ? Path.of(System.getProperty("user.home"), ".local", "share", "cmws")
        : Path.of(dataHome, "cmws");
  }

  private TaskDefaults taskDefaults() {
    RetryPolicy fallback = TaskDefaults.DEFAULT_RETRY;
    Map<String, RetryPolicy> byType = new HashMap<>();
    for (String spec : retryPolicies) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--retry-policy must look like TYPE=INITIAL,MAX,JITTER, got '" + spec + "'");
      }
      RetryPolicy policy = RetryPolicy.parse(spec.substring(eq + 1));
      if (spec.substring(0, eq).equals("*")) {
        fallback = policy;
      } else {
        byType.put(spec.substring(0, eq), policy);
      }
    }
    return new TaskDefaults(fallback, byType);
  }

  /**
   * A hub on a network address with no tokens would refuse every remote client; say so up front.
   */
  /** Applies --token-channels to the tokens they name. */
  private List<TokenSpec> withChannelLimits(List<TokenSpec> specs) {
    List<TokenSpec> limited = new ArrayList<>(specs);
    for (String spec : tokenChannels) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage(
            "--token-channels must look like NAME=PATTERN[,PATTERN...], got '" + spec + "'");
      }
      String name = spec.substring(0, eq).trim();
      List<String> patterns =
          java.util.Arrays.stream(spec.substring(eq + 1).split(","))
              .map(String::trim)
              .filter(p -> !p.isEmpty())
              .toList();
      int index = -1;
      for (int i = 0; i < limited.size(); i++) {
        if (limited.get(i).name().equals(name)) {
          index = i;
        }
      }
      if (index < 0) {
        throw CliException.usage(
            "--token-channels names token '" + name + "', which is not configured");
      }
      limited.set(index, limited.get(index).withChannels(patterns));
    }
    return limited;
  }

  private Limits limits() {
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

  private void requireSafeExposure(TokenRegistry registry) {
    if (registry.isEmpty() && !allowAnonymous && !isLoopback(host)) {
      throw CliException.usage(
          "refusing to listen on "
              + host
              + " without tokens: remote clients could never"
              + " authenticate. Add --token NAME=SECRET (or --tokens-file), or --allow-anonymous to let anyone in.");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw CliException.usage("unknown host '" + host + "'");
    }
  }
}
