package io.cmws.testing;

import io.cmws.redis.RedisSettings;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Redis for tests. {@link #shared()} is the machine's (CMWS_TEST_REDIS, else 127.0.0.1:6379)
 * when it answers, else a {@code redis-server} of our own. {@link #start} always starts our own on
 * a free loopback port, for tests that kill, restart or configure it; it is stopped by PID. Without
 * any Redis the test is skipped, loudly.
 */
public final class RedisServer implements AutoCloseable {
  private static RedisServer shared;

  private final URI url;
  private final Path dir;
  private final List<String> config;
  private final int port;
  private Process process;

  private RedisServer(URI url, Path dir, List<String> config, int port) {
    this.url = url;
    this.dir = dir;
    this.config = config;
    this.port = port;
  }

  /** The Redis most tests share; each test keeps to its own key prefix ({@link #settings()}). */
  public static synchronized RedisServer shared() {
    if (shared == null) {
      String configured = System.getenv("CMWS_TEST_REDIS");
      URI machine =
          URI.create(
              configured != null && !configured.isBlank() ? configured : "redis://127.0.0.1:6379");
      if (answers(machine)) {
        shared = new RedisServer(machine, null, List.of(), machine.getPort());
      } else {
        try {
          shared = start(Files.createTempDirectory("cmws-redis"));
        } catch (IOException e) {
          skip("cannot create a directory for redis-server: " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      }
    }
    return shared;
  }

  /**
   * A redis-server process of our own; {@code config} adds directives, e.g. "--appendonly", "yes".
   */
  public static RedisServer start(Path dir, String... config) {
    String binary = findBinary();
    if (binary == null) {
      skip(
          "no redis-server binary on PATH and no Redis at CMWS_TEST_REDIS or 127.0.0.1:6379"
              + " (.ci/run installs redis-server; locally: apt-get install redis-server)");
    }
    int port = freePort();
    RedisServer server =
        new RedisServer(URI.create("redis://127.0.0.1:" + port), dir, List.of(config), port);
    server.launch(binary);
    return server;
  }

  public URI url() {
    return url;
  }

  /** Settings with a key prefix of its own, so tests sharing a Redis never see each other. */
  public RedisSettings settings() {
    return new RedisSettings(
        url, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no goodbye, no AOF rewrite; what was fsynced survives. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: Redis flushes and exits. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** Starts again on the same port and directory (after {@link #stop} or {@link #kill}). */
  public void restart() {
    launch(findBinary());
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void launch(String binary) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning"));
    command.addAll(config); // later directives win
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      skip("cannot start " + binary + ": " + e.getMessage());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!answers(url)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "redis-server did not come up on port " + port + "; see " + dir.resolve("redis.log"));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static boolean answers(URI url) {
    try (Jedis jedis = new Jedis(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort(), 500)) {
      return "PONG".equals(jedis.ping());
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      return String.valueOf(e.getMessage()).contains("NOAUTH"); // up, and wants a password
    } catch (JedisException e) {
      return false;
    }
  }

  private static String findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    File usual = new File("/usr/bin/redis-server");
    return usual.canExecute() ? usual.getPath() : null;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void skip(String why) {
    System.err.println();
    System.err.println("************************************************************************");
    System.err.println("*** REDIS TESTS SKIPPED: " + why);
    System.err.println("************************************************************************");
    Assumptions.abort("Redis unavailable: " + why);
  }
}
