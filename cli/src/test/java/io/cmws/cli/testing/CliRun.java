package io.cmws.cli.testing;

import io.cmws.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code cmws} in-process through {@link Main#run}, in the background or to completion. */
public final class CliRun {
  public static final Duration WAIT = Duration.ofSeconds(15);

  public final LineSink out = new LineSink();
  public final LineSink err = new LineSink();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private CliRun() {}

  /** Starts {@code cmws args...} on a daemon thread. */
  public static CliRun start(String... args) {
    return start("", Map.of(), args);
  }

  public static CliRun start(String stdin, Map<String, String> env, String... args) {
    CliRun run = new CliRun();
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    Thread thread =
        new Thread(
            () -> {
              try {
                run.exit.complete(
                    Main.run(
                        in,
                        new PrintWriter(run.out, true),
                        new PrintWriter(run.err, true),
                        env,
                        false,
                        args));
              } catch (Throwable t) {
                run.exit.completeExceptionally(t);
              }
            },
            "cmws-" + args[0]);
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** Runs {@code cmws args...} to completion. */
  public static CliRun run(String... args) throws Exception {
    CliRun run = start(args);
    run.exitCode();
    return run;
  }

  public static CliRun runWithStdin(String stdin, String... args) throws Exception {
    CliRun run = start(stdin, Map.of(), args);
    run.exitCode();
    return run;
  }

  public int exitCode() throws Exception {
    return exitCode(WAIT);
  }

  public int exitCode(Duration timeout) throws Exception {
    return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public List<String> stdout() {
    return out.snapshot();
  }

  public List<String> stderr() {
    return err.snapshot();
  }
}
