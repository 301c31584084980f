package io.cmws.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.cli.output.Style;
import io.cmws.cli.testing.LineSink;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive path (JLine) on a dumb terminal over pipes, typed at line by line. */
class ReplTerminalIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void interactiveSessionOnADumbTerminal(@TempDir Path stateHome) throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient worker = RawClient.greeted(hub.url());
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream terminalIn = new PipedInputStream(keyboard, 1 << 16)) {
      worker.send("{\"type\":\"register\",\"capabilities\":[\"echo\"]}").expect("registered");
      LineSink screen = new LineSink();
      OutputStream terminalOut =
          new OutputStream() {
            private final OutputStreamWriter writer =
                new OutputStreamWriter(
                    new java.io.OutputStream() {
                      @Override
                      public void write(int b) {
                        screen.write(new char[] {(char) b}, 0, 1);
                      }
                    },
                    StandardCharsets.UTF_8);

            @Override
            public void write(int b) throws java.io.IOException {
              writer.write(b);
              writer.flush();
            }
          };
      Terminal terminal =
          TerminalBuilder.builder()
              .system(false)
              .dumb(true)
              .type("dumb")
              .streams(terminalIn, terminalOut)
              .encoding(StandardCharsets.UTF_8)
              .build();
      Repl repl =
          new Repl(
              hub.url(),
              null,
              Duration.ofSeconds(5),
              false,
              true,
              Style.plain(),
              Map.of("XDG_STATE_HOME", stateHome.toString()));
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(() -> repl.runInteractive(terminal));
      PrintWriter keys = new PrintWriter(keyboard, true, StandardCharsets.UTF_8);

      screen.await("connected to " + hub.url(), WAIT);
      keys.println("subscribe 'demo:*'");
      screen.await("subscribed to demo:*", WAIT);
      try (RawClient publisher = hub.subscriber()) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"demo:async\",\"data\":{\"n\":1}}")
            .expect("published");
      }
      screen.await("event demo:async #1 {", WAIT); // printed above the prompt, pretty
      screen.await("\"n\": 1", WAIT);
      keys.println("task submit echo 7");
      worker.expect("task:assign");
      keys.println("workers");
      screen.await("echo", WAIT);
      keys.println("nonsense");
      screen.await("unknown command 'nonsense'", WAIT);
      keys.println("exit");
      assertEquals(0, exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      terminal.close();
      String history = Files.readString(stateHome.resolve("cmws").resolve("history"));
      assertTrue(history.contains("subscribe 'demo:*'"), history);
    }
  }
}
