package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.option.ConnectionOptions;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cmws publish}: send events and wait for the hub's acknowledgements. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publish events and wait for the hub's acknowledgement.",
      "DATA goes to CHANNEL as JSON when it parses as JSON, otherwise as a",
      "JSON string; without DATA the event carries null. '-' reads stdin and",
      "publishes one event per non-empty line. Needs a cmws hub: claude-mem",
      "backends have no client publish."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every event acknowledged",
      "2:bad channel or options",
      "3:cannot connect / connection lost",
      "4:no acknowledgement in time",
      "5:refused by the hub (permission, invalid channel, not a cmws hub)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws publish session:started '{\"sessionId\":\"S1\"}'",
      "  cmws publish demo:greeting hello   # data: the JSON string \"hello\"",
      "  printf '{\"n\":1}\\n{\"n\":2}\\n' | cmws publish demo:numbers -",
      "  cmws publish demo:tick --count 10 --interval 1s --json"
    })
public final class PublishCommand extends BaseCommand implements Callable<Integer> {
  /** Events sent ahead of their acknowledgements when reading a stream. */
  static final int WINDOW = 256;

  @Parameters(
      index = "0",
      paramLabel = "CHANNEL",
      description = "Channel to publish on (no wildcards).")
  String channel;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DATA",
      description = "JSON or text; '-' for stdin lines.")
  String data;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Publish the content of FILE as one event.")
  Path file;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      defaultValue = "1",
      description = "Send each event N times (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = {"-i", "--interval"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Pause between sends (e.g. 500ms); each send then waits for its ack.")
  Duration interval;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to wait for each acknowledgement (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--json",
      description = "Print each acknowledgement as a JSON line {id, channel, seq}.")
  boolean json;

  @Mixin ConnectionOptions connection;

  /** What one run has sent and had acknowledged; fresh per run, as the REPL reuses this command. */
  private static final class Acks {
    final Deque<String> inFlight = new ArrayDeque<>();
    long lastSeq = -1;
    int acknowledged;
  }

  @Override
  public Integer call() {
    ChannelNames.channelProblem(channel)
        .ifPresent(
            problem -> {
              throw CliException.usage(problem);
            });
    if (data != null && file != null) {
      throw CliException.usage("give DATA or --file, not both");
    }
    if (count < 1) {
      throw CliException.usage("--count must be at least 1");
    }
    try (HubConnection hub =
        connection
            .hubs()
            .open(connection.token(), connection.connectTimeout(), root()::openConnection)) {
      if (!hub.isCmwsHub()) {
        throw CliException.rejected(
            connection.url()
                + " is not a cmws hub: claude-mem backends have no client"
                + " publish (events there come from the backend's own HTTP hooks)");
      }
      int window = interval == null ? WINDOW : 1;
      Acks acks = new Acks();
      int sent = 0;
      for (Iterator<JsonNode> payloads = payloads(); hasNext(payloads); ) {
        JsonNode payload = payloads.next();
        for (int i = 0; i < count; i++) {
          if (sent > 0 && interval != null) {
            pause(interval);
          }
          String id = Integer.toString(++sent);
          hub.send(new ClientFrame.Publish(channel, payload, id));
          acks.inFlight.add(id);
          while (acks.inFlight.size() >= window) {
            awaitAck(hub, acks);
          }
        }
      }
      while (!acks.inFlight.isEmpty()) {
        awaitAck(hub, acks);
      }
      status(
          "published "
              + acks.acknowledged
              + (acks.acknowledged == 1 ? " event" : " events")
              + " to "
              + channel
              + (acks.acknowledged > 0 ? " (last seq " + acks.lastSeq + ")" : ""));
      return ExitCode.OK;
    }
  }

  private void awaitAck(HubConnection hub, Acks acks) {
    JsonNode ack = hub.await(timeout, "publish to " + channel, "published");
    String expected = acks.inFlight.poll();
    if (!expected.equals(ack.path("id").asText())) {
      throw CliException.failure(
          "acknowledgement out of order: expected " + expected + ", got " + ack, null);
    }
    acks.acknowledged++;
    acks.lastSeq = ack.path("seq").asLong();
    if (json) {
      ObjectNode line = Json.object();
      line.set("id", ack.get("id"));
      line.set("channel", ack.get("channel"));
      line.set("seq", ack.get("seq"));
      out().println(Json.write(line));
      out().flush();
    }
  }

  private Iterator<JsonNode> payloads() {
    if (file != null) {
      try {
        return List.of(Json.parseOrString(Files.readString(file, StandardCharsets.UTF_8).strip()))
            .iterator();
      } catch (IOException e) {
        throw CliException.usage("cannot read " + file + ": " + e.getMessage());
      }
    }
    if ("-".equals(data)) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(root().stdin(), StandardCharsets.UTF_8));
      return reader.lines().filter(line -> !line.isBlank()).map(Json::parseOrString).iterator();
    }
    return List.of(data == null ? NullNode.getInstance() : Json.parseOrString(data)).iterator();
  }

  private static boolean hasNext(Iterator<JsonNode> payloads) {
    try {
      return payloads.hasNext();
    } catch (UncheckedIOException e) {
      throw CliException.failure("cannot read stdin: " + e.getCause().getMessage(), e);
    }
  }
}
