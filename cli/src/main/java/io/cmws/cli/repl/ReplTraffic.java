package io.cmws.cli.repl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.ConnectionStatus;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.client.Inbound;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.hub.ConcurrentSubscriptionIndex;
import io.cmws.protocol.ChannelNames;
import io.cmws.protocol.ClientFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** REPL commands that move frames: subscribe, unsubscribe, send, await. */
final class ReplTraffic {
  private ReplTraffic() {}

  @Command(
      name = "subscribe",
      mixinStandardHelpOptions = true,
      description = {
        "Subscribe to channels matching the PATTERNs; their events print as they arrive."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  subscribe 'session:*'", "  subscribe task:*:failed writer:pause"})
  static final class Subscribe implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "PATTERN",
        completionCandidates = KnownChannels.class,
        description =
            "'*' alone, a trailing '*' (one or more segments) or a middle '*' (one segment).")
    List<String> patterns;

    @Override
    public Integer call() {
      for (String pattern : patterns) {
        ChannelNames.patternProblem(pattern)
            .ifPresent(
                problem -> {
                  throw CliException.usage(problem);
                });
      }
      Repl repl = ReplCommands.repl(spec);
      HubConnection connection = repl.state().require();
      connection.send(new ClientFrame.Subscribe(patterns));
      JsonNode reply = connection.await(repl.state().timeout(), "subscribe", "subscribed");
      repl.state().subscribed(patterns);
      List<String> added = new ArrayList<>();
      reply.path("channels").forEach(p -> added.add(p.asText()));
      spec.commandLine()
          .getOut()
          .println(
              added.isEmpty() ? "already subscribed" : "subscribed to " + String.join(" ", added));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "unsubscribe",
      mixinStandardHelpOptions = true,
      description = {"Drop subscriptions."},
      footerHeading = "%nExamples:%n",
      footer = {"  unsubscribe 'session:*'"})
  static final class Unsubscribe implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "PATTERN",
        completionCandidates = KnownChannels.class,
        description = "Patterns to drop, as subscribed.")
    List<String> patterns;

    @Override
    public Integer call() {
      Repl repl = ReplCommands.repl(spec);
      HubConnection connection = repl.state().require();
      connection.send(new ClientFrame.Unsubscribe(patterns));
      if (connection.isCmwsHub()) { // claude-mem does not answer an unsubscribe
        connection.await(repl.state().timeout(), "unsubscribe", "unsubscribed");
      }
      repl.state().unsubscribed(patterns);
      spec.commandLine().getOut().println("unsubscribed from " + String.join(" ", patterns));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = {
        "Send FRAME as it is, valid or not, for protocol debugging; replies print as they arrive."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  send {\"type\":\"ping\"}", "  send {\"type\":\"subscribe\",\"channels\":[1]}"})
  static final class Send implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "FRAME",
        description = "The text to send (words are joined with spaces).")
    List<String> words;

    @Override
    public Integer call() {
      ReplCommands.repl(spec).state().require().client().sendRaw(String.join(" ", words));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "await",
      mixinStandardHelpOptions = true,
      description = {
        "Wait until COUNT events matching PATTERN have arrived since the last await",
        "(printing every frame); for scripts."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  await 'session:*'", "  await task:completed --count 3 --timeout 30s"})
  static final class Await implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "PATTERN",
        defaultValue = "*",
        completionCandidates = KnownChannels.class,
        description = "Events to wait for (default: any).")
    String pattern;

    @Option(
        names = {"-n", "--count"},
        defaultValue = "1",
        paramLabel = "N",
        description = "How many (default ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = {"-t", "--timeout"},
        defaultValue = "10s",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Give up (exit 4) after this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      ChannelNames.patternProblem(pattern)
          .ifPresent(
              problem -> {
                throw CliException.usage(problem);
              });
      ConcurrentSubscriptionIndex<String> matcher = new ConcurrentSubscriptionIndex<>();
      matcher.add(pattern, pattern);
      Repl repl = ReplCommands.repl(spec);
      HubConnection connection = repl.state().require();
      long deadline = System.nanoTime() + timeout.toNanos();
      int seen = 0;
      while (seen < count
          && repl.takeShown(channel -> !matcher.match(channel).isEmpty()).isPresent()) {
        seen++; // arrived (and was printed) before this command
      }
      while (seen < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw CliException.timeout(
              "saw "
                  + seen
                  + " of "
                  + count
                  + " events matching "
                  + pattern
                  + " in "
                  + timeout.toMillis()
                  + " ms");
        }
        Optional<Inbound> next = connection.poll(Duration.ofNanos(left));
        if (next.isEmpty()) {
          continue;
        }
        if (next.get() instanceof Inbound.Closed closed) {
          throw CliException.connection(ConnectionStatus.lost(connection.url(), closed));
        }
        JsonNode frame = ((Inbound.Frame) next.get()).node();
        repl.show(frame);
        if (repl.takeShown(channel -> !matcher.match(channel).isEmpty()).isPresent()) {
          seen++;
        }
      }
      return ExitCode.OK;
    }
  }
}
