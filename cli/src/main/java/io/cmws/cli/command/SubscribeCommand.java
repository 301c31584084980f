package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.ConnectionStatus;
import io.cmws.cli.client.CrashLosses;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.client.Inbound;
import io.cmws.cli.client.Resume;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.output.EventPrinter;
import io.cmws.cli.output.OutputFormat;
import io.cmws.cli.output.Style;
import io.cmws.cli.support.Backoff;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.CloseCodes;
import io.cmws.protocol.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cmws subscribe}: tail channels, one event a line. */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print events from channels matching the PATTERNs.",
      "One event per line (text, --raw or --json). Connects as a browser-type",
      "client, so it also works against a claude-mem backend. Reconnects with",
      "backoff when the connection drops (status on stderr); on a cmws hub it",
      "resumes after the last event printed, without gap or duplicate as long",
      "as the hub's history covers the time away."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:--count reached",
      "2:bad pattern",
      "3:cannot connect / connection lost",
      "4:--timeout without an event",
      "5:rejected by the hub"
    },
    footerHeading = "%nPatterns:%n",
    footer = {
      "  '*' alone matches every channel. A trailing '*' matches one or more",
      "  segments: 'session:*' matches session:started and session:a:b, not",
      "  session. A '*' elsewhere matches one segment: 'task:*:failed'.",
      "",
      "Sequence numbers:",
      "  A cmws hub numbers each channel's events on its own, so a text line",
      "  reads 'task:completed#4 {...}' (the 4th event on task:completed) and a",
      "  wildcard stream mixes several counts: task:queued#2, task:started#2,",
      "  task:completed#1 is in order. Only a gap within one channel means",
      "  missed events. claude-mem backends send no seq (no #N, seq null).",
      "",
      "Examples:",
      "  cmws subscribe 'session:*'",
      "  cmws subscribe 'task:*' 'writer:pause' --json | jq .data",
      "  cmws subscribe 'session:*' --json --count 2 --timeout 30s",
      "  cmws subscribe 'task:failed' --last 20           # what happened lately, then live",
      "  cmws subscribe 'session:*' --since 10m",
      "  cmws subscribe '*' --raw --url ws://hub.example:37777/ws"
    })
public final class SubscribeCommand extends BaseCommand implements Callable<Integer> {
  private static final Duration FOREVER = Duration.ofDays(365);

  /** When the connection was lost; null until it is. */
  private Instant awaySince;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATTERN",
      description = "Channel patterns to subscribe to.")
  List<String> patterns;

  @ArgGroup(exclusive = true)
  Format format = new Format();

  static final class Format {
    @Option(names = "--json", description = "JSON Lines: {channel, data, timestamp, seq, pattern}.")
    boolean json;

    @Option(names = "--raw", description = "Print the data only.")
    boolean raw;
  }

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      description = "Exit 0 after N events.")
  Integer count;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Exit 4 when no event arrives for this long (e.g. 30s).")
  Duration timeout;

  @Option(
      names = "--no-reconnect",
      description = "Exit 3 when the connection drops instead of reconnecting.")
  boolean noReconnect;

  @Option(
      names = "--last",
      paramLabel = "N",
      description = "First print the last N kept events of the matching channels (cmws hubs).")
  Integer last;

  @Option(
      names = "--since",
      paramLabel = "WHEN|CHANNEL=SEQ",
      description =
          "First print kept events published since WHEN (a duration ago like 10m, or an ISO-8601 time),"
              + " or after SEQ on CHANNEL (repeatable), as a resume point saved by an earlier run.")
  List<String> since = new ArrayList<>();

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "auto, always or never (default ${DEFAULT-VALUE}; NO_COLOR turns auto off).")
  String color;

  @Override
  public Integer call() {
    for (String pattern : patterns) {
      ChannelNames.patternProblem(pattern)
          .ifPresent(
              problem -> {
                throw CliException.usage(problem);
              });
    }
    if (count != null && count < 1) {
      throw CliException.usage("--count must be at least 1");
    }
    if (last != null && !since.isEmpty()) {
      throw CliException.usage("give --last or --since, not both");
    }
    if (last != null && last < 0) {
      throw CliException.usage("--last must be 0 or more");
    }
    OutputFormat outputFormat =
        format.json ? OutputFormat.JSON : format.raw ? OutputFormat.RAW : OutputFormat.TEXT;
    EventPrinter printer =
        new EventPrinter(
            out(), outputFormat, Style.decide(color, root().stdoutIsTerminal(), root().env()));
    Backoff backoff = Backoff.standard();
    Instant idleDeadline = deadlineFromNow();
    Resume resume = new Resume();
    HubConnection hub = subscribe(resume, true);
    status("subscribed to " + String.join(" ", patterns) + " on " + connection.url());
    int received = 0;
    try {
      while (true) {
        Optional<Inbound> next = hub.poll(untilDeadline(idleDeadline));
        if (next.isEmpty()) {
          if (timeout != null && !Instant.now().isBefore(idleDeadline)) {
            throw CliException.timeout("no event within " + timeout.toMillis() + " ms");
          }
          continue;
        }
        if (next.get() instanceof Inbound.Frame frame) {
          if (frame.type().equals("event")) {
            if (!resume.isNew(frame.node())) {
              continue; // replayed, and printed before
            }
            printer.print(frame.node());
            idleDeadline = deadlineFromNow();
            if (count != null && ++received >= count) {
              return ExitCode.OK;
            }
          } else if (frame.type().equals("error")) {
            status("hub says: " + frame.node().path("message").asText());
          }
        } else {
          Inbound.Closed closed = (Inbound.Closed) next.get();
          hub.close();
          hub = reconnect(closed, backoff, idleDeadline, resume);
        }
      }
    } finally {
      hub.close();
    }
  }

  /**
   * Subscribes; on a cmws hub with replay: what --last/--since ask for first, the missed events
   * later.
   */
  private HubConnection subscribe(Resume resume, boolean first) {
    HubConnection hub =
        connection
            .hubs()
            .open(connection.token(), connection.connectTimeout(), HubConnection::open);
    try {
      if (!hub.isCmwsHub()) {
        if (first && (last != null || !since.isEmpty())) {
          throw CliException.rejected(
              connection.url() + " keeps no history (not a cmws hub): drop --last/--since");
        }
        hub.send(new ClientFrame.Subscribe(patterns));
        hub.await(connection.connectTimeout(), "subscribe", "subscribed");
        if (!first) {
          gap(
              "no-history",
              "after the reconnect: "
                  + connection.url()
                  + " sends no seq and keeps no history, so events published while this"
                  + " subscriber was away may be missing",
              null);
        }
        return hub;
      }
      hub.send(
          first
              ? resume.first(patterns, last, sinceTime(), sincePositions())
              : resume.again(patterns));
      JsonNode reply = hub.await(connection.connectTimeout(), "subscribe", "subscribed");
      resume.subscribed(reply);
      if (reply.has("recovered") && !reply.get("recovered").asBoolean()) {
        JsonNode lost = reply.path("lost");
        if (lost.isArray() && !lost.isEmpty()) {
          gap(
              "lost-in-crash",
              (first ? "" : "after the reconnect: ") + CrashLosses.describe(lost),
              lost);
        } else {
          gap(
              "partial-replay",
              (first ? "" : "after the reconnect: ")
                  + "the hub could not replay everything asked for (history"
                  + " too short, or the hub lost it); "
                  + reply.path("replayed").asInt()
                  + " kept events follow",
              null);
        }
      }
      return hub;
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
  }

  /**
   * Reconnects with capped exponential backoff and jitter; gives up on a refusal or the timeout.
   */
  private Long sinceTime() {
    List<String> times = since.stream().filter(s -> !s.contains("=")).toList();
    if (times.size() > 1) {
      throw CliException.usage("give at most one --since time");
    }
    if (times.isEmpty()) {
      return null;
    }
    String when = times.get(0);
    try {
      return Instant.parse(when).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.now().minus(DurationConverter.parse(when)).toEpochMilli();
      } catch (CommandLine.TypeConversionException notDuration) {
        throw CliException.usage(
            "--since " + when + ": not a duration (10m), an ISO-8601 time or CHANNEL=SEQ");
      }
    }
  }

  private Map<String, Long> sincePositions() {
    Map<String, Long> positions = new LinkedHashMap<>();
    for (String spec : since) {
      int eq = spec.lastIndexOf('=');
      if (eq > 0) {
        try {
          positions.put(spec.substring(0, eq), Long.parseLong(spec.substring(eq + 1)));
        } catch (NumberFormatException e) {
          throw CliException.usage("--since " + spec + ": SEQ must be a number");
        }
      }
    }
    return positions;
  }

  /**
   * Events may be missing: told even with --quiet; with --json as one line on stderr, {@code
   * {"type":"gap","reason":...,"since":ms,"until":ms,"patterns":[...],"message":...}}, plus {@code
   * "lost":[{channel,from,to}]} when the reason is a crash of the hub.
   */
  private void gap(String reason, String message, JsonNode lost) {
    if (format.json) {
      ObjectNode line =
          Json.object()
              .put("type", "gap")
              .put("reason", reason)
              .put("since", awaySince == null ? null : awaySince.toEpochMilli())
              .put("until", System.currentTimeMillis())
              .put("message", message);
      patterns.forEach(line.putArray("patterns")::add);
      if (lost != null) {
        line.set("lost", lost);
      }
      err().println(Json.write(line));
    } else {
      err().println("cmws: " + message);
    }
    err().flush();
  }

  private HubConnection reconnect(
      Inbound.Closed closed, Backoff backoff, Instant idleDeadline, Resume resume) {
    awaySince = Instant.now();
    if (closed.code() == CloseCodes.UNAUTHORIZED) {
      throw CliException.rejected("the hub refused this client: connection " + closed.describe());
    }
    if (noReconnect) {
      throw CliException.connection(ConnectionStatus.lost(connection.url(), closed));
    }
    String why = ConnectionStatus.lost(connection.url(), closed);
    boolean lost = true;
    while (true) {
      Duration delay = backoff.next();
      if (timeout != null && Instant.now().plus(delay).isAfter(idleDeadline)) {
        throw CliException.timeout(
            "no event within " + timeout.toMillis() + " ms (hub unreachable: " + why + ")");
      }
      URI next = connection.hubs().all().size() > 1 ? connection.hubs().advance() : null;
      status(ConnectionStatus.next(why, lost, next, delay, backoff.attempt()));
      lost = false;
      pause(delay);
      try {
        HubConnection hub = subscribe(resume, false);
        backoff.reset();
        status(
            "reconnected to " + connection.url() + "; subscribed to " + String.join(" ", patterns));
        return hub;
      } catch (CliException e) {
        if (e.exitCode() == ExitCode.REJECTED || e.exitCode() == ExitCode.USAGE) {
          throw e;
        }
        why = e.getMessage();
      }
    }
  }

  private Instant deadlineFromNow() {
    return timeout == null ? Instant.now().plus(FOREVER) : Instant.now().plus(timeout);
  }

  private static Duration untilDeadline(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
