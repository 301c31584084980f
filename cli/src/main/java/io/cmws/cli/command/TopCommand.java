package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.cli.top.TopSample;
import io.cmws.cli.top.TopView;
import io.cmws.protocol.ClientFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cmws top}: a live full-screen view of a hub, refreshed every second. */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Watch a hub live, full screen.",
      "Deliveries and events per second, the busiest channels, connections by",
      "type, workers with busy and free slots,",
      "waiting and running tasks with outcomes per second, slow consumers.",
      "Keys: q quits, p pauses, s changes the channel order (rate, name,",
      "subscribers). Needs a terminal (for scripts: cmws status --json) and",
      "the admin permission."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:quit with q",
      "2:no terminal",
      "3:cannot reach the hub",
      "5:refused (token or permission)"
    },
    footerHeading = "%nExamples:%n",
    footer = {"  cmws top", "  cmws top --url ws://hub.internal:8765/ws --token \"$ADMIN_TOKEN\""})
public final class TopCommand extends RequestCommand implements Callable<Integer> {
  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Time between refreshes (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Override
  String whyCmwsOnly() {
    return "claude-mem has no stats request";
  }

  @Override
  public Integer call() throws IOException {
    if (json || !root().stdoutIsTerminal()) {
      throw CliException.usage(
          "cmws top needs a terminal; for scripts use cmws status --json (or workers, channels)");
    }
    if (interval.toMillis() < 100) {
      throw CliException.usage("--interval must be at least 100ms");
    }
    try (HubConnection hub = open();
        Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      Attributes saved = terminal.enterRawMode();
      terminal.puts(Capability.enter_ca_mode);
      terminal.puts(Capability.cursor_invisible);
      try {
        return loop(hub, terminal);
      } finally {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.setAttributes(saved);
        terminal.flush();
      }
    }
  }

  private int loop(HubConnection hub, Terminal terminal) throws IOException {
    NonBlockingReader keys = terminal.reader();
    TopView.Sort sort = TopView.Sort.RATE;
    boolean paused = false;
    TopSample previous = null;
    TopSample now = sample(hub);
    long nextSample = System.currentTimeMillis() + interval.toMillis();
    while (true) {
      draw(
          terminal,
          TopView.render(
              hub.url().toString(),
              previous,
              now,
              sort,
              paused,
              terminal.getWidth() > 0 ? terminal.getWidth() : 80,
              terminal.getHeight() > 0 ? terminal.getHeight() : 24));
      long wait = Math.max(1, nextSample - System.currentTimeMillis());
      int key = keys.read(wait);
      if (key == 'q' || key == 'Q' || key == 3 /* Ctrl-C in raw mode */ || key == -1) {
        return ExitCode.OK;
      } else if (key == 'p' || key == 'P') {
        paused = !paused;
      } else if (key == 's' || key == 'S') {
        sort = sort.next();
      }
      if (System.currentTimeMillis() >= nextSample) {
        nextSample = System.currentTimeMillis() + interval.toMillis();
        if (!paused) {
          previous = now;
          now = sample(hub);
        }
      }
    }
  }

  private TopSample sample(HubConnection hub) {
    JsonNode stats = request(hub, new ClientFrame.Stats("t1"), "stats", "stats:info").path("stats");
    JsonNode channels =
        request(hub, new ClientFrame.Channels("t2"), "channels", "channels:info").path("channels");
    JsonNode workers =
        request(hub, new ClientFrame.Workers("t3"), "workers", "workers:info").path("workers");
    return new TopSample(System.currentTimeMillis(), stats, channels, workers);
  }

  private static void draw(Terminal terminal, List<String> lines) {
    terminal.puts(Capability.clear_screen);
    PrintWriter out = terminal.writer();
    out.print(String.join("\r\n", lines));
    out.flush();
  }
}
