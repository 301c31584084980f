package io.cmws.cli.option.serve;

import io.cmws.cli.support.DurationConverter;
import io.cmws.redis.RedisSettings;
import io.cmws.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code cmws serve}: where tasks and history are kept: SQLite, memory, or a shared Redis. */
public final class StorageOptions {
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
          "Keep everything in memory: tasks and history are lost when the hub stops (env"
              + " CMWS_EPHEMERAL).")
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
          "Events kept per channel for replay to reconnecting subscribers (default"
              + " ${DEFAULT-VALUE}; 0: none).")
  int historySize;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      defaultValue = "${env:CMWS_REDIS}",
      description =
          "Share channels, history and tasks with every hub on this Redis:"
              + " redis://[user:password@]host:port[/db] or rediss:// for TLS (env CMWS_REDIS). The"
              + " data dir is not used then.")
  String redis;

  @Option(
      names = "--redis-prefix",
      paramLabel = "PREFIX",
      defaultValue = "${env:CMWS_REDIS_PREFIX:-cmws}",
      description =
          "Prefix of every Redis key and channel; hubs with the same Redis and prefix form one"
              + " group (env CMWS_REDIS_PREFIX; default ${DEFAULT-VALUE}).")
  String redisPrefix;

  public int historySize() {
    return historySize;
  }

  public Duration retention() {
    return retention;
  }

  /** The Redis shared with other hubs; null for a hub of its own. */
  public RedisSettings redis() {
    return redis == null || redis.isBlank()
        ? null
        : new RedisSettings(URI.create(redis.trim()), redisPrefix);
  }

  /** The embedded store; null for {@code --ephemeral} and for a hub on Redis. */
  public StoreOptions store(Map<String, String> env) {
    return ephemeral || redis() != null
        ? null
        : new StoreOptions(dataDir(env), persistHistory, retention, fsync);
  }

  private Path dataDir(Map<String, String> env) {
    if (dataDir != null) {
      return dataDir;
    }
    String dataHome = env.get("XDG_DATA_HOME");
    return dataHome == null || dataHome.isBlank()
        ? Path.of(System.getProperty("user.home"), ".local", "share", "cmws")
        : Path.of(dataHome, "cmws");
  }
}
