package io.cmws.cli.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar cmws.jar ...} as a real child process, its output read line by line. */
public final class CmwsProcess implements AutoCloseable {
  public final LineSink out = new LineSink();
  public final LineSink err = new LineSink();
  private final Process process;

  private CmwsProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out, "stdout");
    pump(process.getErrorStream(), err, "stderr");
  }

  /** The shaded jar built by the package phase; failsafe passes its path. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("cmws.jar", "target/cmws.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: run the integration tests through 'mvn verify'");
    }
    return jar;
  }

  public static CmwsProcess start(String... args) throws IOException {
    return startWithJvm(List.of(), args);
  }

  /**
   * {@code cmws serve --json} on {@code data} (its first stdout line says where it listens), on
   * {@code port} (0: any), without the admin endpoint; {@code more} options after those.
   */
  public static CmwsProcess durableHub(Path data, int port, String... more) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "serve",
            "--port",
            Integer.toString(port),
            "--admin-port",
            "-1",
            "--json",
            "--data-dir",
            data.toString()));
    args.addAll(List.of(more));
    return start(args.toArray(String[]::new));
  }

  /** With JVM options, e.g. a heap limit. */
  public static CmwsProcess startWithJvm(List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("CMWS_"));
    // each process its own data directory, so hubs never share (or find) a store by accident
    builder.environment().put("XDG_DATA_HOME", Files.createTempDirectory("cmws-data").toString());
    return new CmwsProcess(builder.start());
  }

  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "process did not exit within " + timeout + "; stderr: " + err.snapshot());
    }
    return process.exitValue();
  }

  /**
   * SIGTERM through kill(1): {@link Process#destroy()} would also close our end of the pipes and
   * lose what the process prints while it shuts down.
   */
  public void terminate() throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -TERM " + process.pid() + " failed");
    }
  }

  /** SIGKILL, like {@code kill -9}. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void pump(InputStream stream, LineSink sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  sink.addLine(line);
                }
              } catch (IOException e) {
                sink.addLine("<" + name + " closed: " + e + ">");
              }
            },
            "cmws-process-" + name);
    thread.setDaemon(true);
    thread.start();
  }
}
