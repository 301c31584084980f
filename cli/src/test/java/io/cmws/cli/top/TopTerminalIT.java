package io.cmws.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cmws top} in a real terminal: tmux gives it an 80×24 pseudo-terminal, the test reads the
 * screen with {@code capture-pane} and types with {@code send-keys}. CI installs tmux and sets
 * CMWS_REQUIRE_TTY, so the test cannot skip there.
 */
@Timeout(90)
class TopTerminalIT {
  private static final Pattern CHANNEL_RATE =
      Pattern.compile("demo:x\\s+(\\d+\\.\\d)\\s+\\d+\\s+1");

  @Test
  void showsThePublishersRateInAn80By24TerminalAndQuitsCleanly() throws Exception {
    boolean tmux = run("tmux", "-V") == 0;
    if (System.getenv("CMWS_REQUIRE_TTY") != null) {
      assertTrue(tmux, "tmux is required (CMWS_REQUIRE_TTY is set)");
    }
    Assumptions.assumeTrue(tmux, "no tmux: the terminal test of cmws top is SKIPPED");
    String session = "cmws-top-" + ProcessHandle.current().pid();
    AtomicBoolean publishing = new AtomicBoolean(true);
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("demo:*");
        RawClient publisher = hub.subscriber()) {
      Thread load =
          new Thread(
              () -> {
                while (publishing.get()) {
                  publisher.trySend("{\"type\":\"publish\",\"channel\":\"demo:x\",\"data\":1}");
                  try {
                    Thread.sleep(10); // about 100 events/s: a steady rate to read on the screen
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      load.setDaemon(true);
      load.start();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String top =
          java
              + " -jar "
              + CmwsProcess.jar().toAbsolutePath()
              + " top --url "
              + hub.url()
              + "; echo EXIT=$?; stty -a | grep -o -- '-\\?icanon' | head -1; sleep 60";
      assertEquals(0, run("tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", top));
      String[] screen = new String[1];
      Awaitility.await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                screen[0] = capture(session);
                Matcher rate = CHANNEL_RATE.matcher(screen[0]);
                return rate.find() && Double.parseDouble(rate.group(1)) >= 20;
              });
      Path saved = Path.of("target", "top-80x24.txt");
      Files.writeString(saved, screen[0], StandardCharsets.UTF_8);
      System.out.println("cmws top at 80x24 (also in " + saved + "):\n" + screen[0]);
      List<String> lines = screen[0].lines().toList();
      assertTrue(lines.size() <= 24, "fits 24 rows");
      assertTrue(lines.stream().allMatch(l -> l.length() <= 80), "fits 80 columns");
      assertTrue(lines.get(0).startsWith("cmws top  " + hub.url()), lines.get(0));
      assertTrue(screen[0].contains("connections  browser 3"), screen[0]);
      assertTrue(screen[0].matches("(?s).*deliveries/s [1-9]\\d*.*"), screen[0]);

      run("tmux", "send-keys", "-t", session, "p");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> capture(session).contains("PAUSED"));
      run("tmux", "send-keys", "-t", session, "q");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> capture(session).contains("EXIT=0"));
      String after = capture(session);
      assertTrue(!after.contains("cmws top  "), "the alternate screen is gone: " + after);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> capture(session).lines().anyMatch(l -> l.equals("icanon")));
    } finally {
      publishing.set(false);
      run("tmux", "kill-session", "-t", session);
    }
  }

  @Test
  void withoutATerminalItRefusesAndPointsToStatus() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun top = CliRun.run("top", "--url", hub.url().toString());
      assertEquals(2, top.exitCode());
      assertTrue(top.stderr().get(0).contains("cmws status --json"), top.stderr().toString());
    }
  }

  private static String capture(String session) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return text.stripTrailing();
  }

  private static int run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
