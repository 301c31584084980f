package io.cmws.cli.repl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.ConnectionStatus;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.client.Inbound;
import io.cmws.cli.command.CommandLines;
import io.cmws.cli.output.Style;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import picocli.CommandLine;

/**
 * The interactive shell: one connection, commands read from a JLine terminal (events printed above
 * the prompt) or, without a terminal, from stdin as a script. A background pump prints frames that
 * arrive while no command runs; a running command holds the connection's lock.
 */
public final class Repl {
  private static final Duration PUMP_POLL = Duration.ofMillis(50);

  private final ReplState state;
  private final FramePrinter printer;
  private final boolean json;
  private final boolean interactive;
  private final Map<String, String> env;
  private final CommandLine commands;
  private final DefaultParser parser = new DefaultParser();
  private volatile Consumer<String> output = System.out::println;
  private volatile boolean stopped;
  private int firstFailure;

  /** Events shown but not yet waited for, so 'await' also sees those that came before it. */
  private final Deque<JsonNode> unawaited = new ArrayDeque<>();

  public Repl(
      URI url,
      String token,
      Duration timeout,
      boolean json,
      boolean interactive,
      Style style,
      Map<String, String> env) {
    this.state = new ReplState(url, token, timeout);
    this.printer = new FramePrinter(json, interactive, style);
    this.json = json;
    this.interactive = interactive;
    this.env = env;
    this.commands = CommandLines.configure(new CommandLine(new ReplCommands(this)));
    commands.setParameterExceptionHandler(ReplErrors::handle);
    KnownChannels.use(state);
  }

  ReplState state() {
    return state;
  }

  FramePrinter printer() {
    return printer;
  }

  boolean json() {
    return json;
  }

  boolean isInteractive() {
    return interactive;
  }

  Map<String, String> env() {
    return env;
  }

  /** Runs commands from a terminal until {@code exit} or Ctrl-D; Ctrl-C clears the line. */
  public int runInteractive(Terminal terminal) {
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("cmws")
            .parser(parser)
            .completer(new ReplCompleter(commands.getCommandSpec()))
            .variable(LineReader.HISTORY_FILE, historyFile())
            .build();
    PrintWriter writer = terminal.writer();
    output = text -> reader.printAbove(text);
    commands.setOut(writer);
    commands.setErr(writer);
    connectQuietly(writer);
    Thread pump = startPump();
    try {
      while (!stopped) {
        String line;
        try {
          line = reader.readLine(state.connected() ? "cmws> " : "cmws (disconnected)> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        execute(line);
        writer.flush();
      }
    } finally {
      shutdown(pump);
    }
    return ExitCode.OK;
  }

  /** Runs one command per stdin line; the exit code is that of the first failed command, else 0. */
  public int runScript(BufferedReader in, PrintWriter out, PrintWriter err) {
    output =
        text -> {
          synchronized (out) {
            out.println(text);
            out.flush();
          }
        };
    commands.setOut(out);
    commands.setErr(err);
    connectQuietly(err);
    Thread pump = startPump();
    try {
      for (String line = in.readLine(); line != null && !stopped; line = in.readLine()) {
        if (!line.isBlank() && !line.strip().startsWith("#")) {
          execute(line);
          out.flush();
          err.flush();
        }
      }
    } catch (IOException e) {
      err.println("cmws: cannot read the script: " + e.getMessage());
      record(ExitCode.FAILURE);
    } finally {
      shutdown(pump);
    }
    return firstFailure;
  }

  /** Parses and runs one command line under the connection lock; returns its exit code. */
  int execute(String line) {
    List<String> words;
    try {
      words = parser.parse(line, line.length()).words().stream().filter(w -> !w.isEmpty()).toList();
    } catch (RuntimeException e) {
      commands.getErr().println("cmws: cannot parse the line: " + e.getMessage());
      return record(ExitCode.USAGE);
    }
    if (words.isEmpty()) {
      return ExitCode.OK;
    }
    state.lock.lock();
    try {
      return record(commands.execute(words.toArray(String[]::new)));
    } finally {
      state.lock.unlock();
    }
  }

  private int record(int code) {
    if (code != ExitCode.OK && firstFailure == ExitCode.OK) {
      firstFailure = code;
    }
    return code;
  }

  /**
   * Prints a frame the user did not ask for in so many words: an event, an error, a reply to
   * 'send'.
   */
  void show(JsonNode frame) {
    if (frame.path("type").asText().equals("event")) {
      state.learnChannel(frame.path("channel").asText());
      synchronized (unawaited) {
        unawaited.addLast(frame);
        if (unawaited.size() > 1000) {
          unawaited.removeFirst();
        }
      }
    }
    output.accept(printer.format(frame));
  }

  /** Takes the oldest shown event matching {@code matches}, if any; 'await' counts it. */
  Optional<JsonNode> takeShown(Predicate<String> matches) {
    synchronized (unawaited) {
      for (Iterator<JsonNode> it = unawaited.iterator(); it.hasNext(); ) {
        JsonNode event = it.next();
        if (matches.test(event.path("channel").asText())) {
          it.remove();
          return Optional.of(event);
        }
      }
      return Optional.empty();
    }
  }

  /** (Re)connects and restores the subscriptions; the caller holds the lock. */
  void connect(URI url, String token) {
    HubConnection connection = state.connect(url, token);
    connection.onUnsolicited(frame -> show(frame.node()));
    String who = connection.clientId() == null ? "" : " as " + connection.clientId();
    commands
        .getOut()
        .println(
            "connected to "
                + state.url()
                + who
                + (connection.permissions().isEmpty() ? "" : " " + connection.permissions()));
    List<String> subscriptions = state.subscriptions();
    if (!subscriptions.isEmpty()) {
      connection.send(new ClientFrame.Subscribe(subscriptions));
      connection.await(state.timeout(), "subscribe", "subscribed");
      commands.getOut().println("resubscribed to " + String.join(" ", subscriptions));
      // the REPL resubscribes without replay: a possible gap is said, never silent
      commands
          .getOut()
          .println(
              connection.isCmwsHub()
                  ? "events published while disconnected may be missing; 'history CHANNEL' shows"
                      + " what the hub kept"
                  : state.url()
                      + " sends no seq and keeps no history: events published while disconnected"
                      + " may be missing");
    }
  }

  void disconnect() {
    state.disconnect();
    commands.getOut().println("disconnected");
  }

  void stop() {
    stopped = true;
  }

  private void connectQuietly(PrintWriter err) {
    state.lock.lock();
    try {
      connect(null, null);
    } catch (CliException e) {
      err.println("cmws: " + e.getMessage() + " (use 'connect [URL]' to retry)");
      err.flush();
    } finally {
      state.lock.unlock();
    }
  }

  private Thread startPump() {
    Thread pump = new Thread(this::pump, "cmws-repl-pump");
    pump.setDaemon(true);
    pump.start();
    return pump;
  }

  /** Prints what arrives while no command holds the connection. */
  private void pump() {
    while (!stopped) {
      try {
        if (!state.lock.tryLock(PUMP_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        Optional<Inbound> next;
        HubConnection connection;
        try {
          connection = state.connection();
          next = connection == null ? Optional.empty() : connection.poll(PUMP_POLL);
        } finally {
          state.lock.unlock();
        }
        if (connection == null) {
          Thread.sleep(PUMP_POLL.toMillis());
        } else if (next.isPresent()) {
          if (next.get() instanceof Inbound.Closed closed) {
            output.accept(ConnectionStatus.lost(connection.url(), closed) + "; use 'reconnect'");
          } else {
            show(((Inbound.Frame) next.get()).node());
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        output.accept("cmws: " + e.getMessage());
      }
    }
  }

  private void shutdown(Thread pump) {
    stopped = true;
    pump.interrupt();
    try {
      pump.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    state.disconnect();
  }

  private Path historyFile() {
    String stateHome = env.get("XDG_STATE_HOME");
    Path dir =
        stateHome == null || stateHome.isBlank()
            ? Path.of(System.getProperty("user.home"), ".local", "state", "cmws")
            : Path.of(stateHome, "cmws");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      // no history then; the REPL still works
    }
    return dir.resolve("history");
  }
}
