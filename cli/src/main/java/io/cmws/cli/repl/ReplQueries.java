package io.cmws.cli.repl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.output.HubsTable;
import io.cmws.cli.output.IntrospectionTables;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * REPL commands that ask the hub about itself (cmws introspection extensions) or show local state.
 */
final class ReplQueries {
  private ReplQueries() {}

  /** Sends a request frame and returns its reply. */
  static JsonNode ask(CommandSpec spec, ClientFrame request, String replyType) {
    Repl repl = ReplCommands.repl(spec);
    HubConnection connection = repl.state().require();
    connection.send(request);
    return connection.await(
        repl.state().timeout(), replyType.substring(0, replyType.indexOf(':')), replyType);
  }

  @Command(
      name = "workers",
      mixinStandardHelpOptions = true,
      description = {
        "Registered workers: id, capabilities, concurrency, running tasks, ping latency."
      })
  static final class Workers implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode reply = ask(spec, new ClientFrame.Workers("w"), "workers:info");
      Repl repl = ReplCommands.repl(spec);
      PrintWriter out = spec.commandLine().getOut();
      if (repl.json()) {
        out.println(Json.write(reply));
        return ExitCode.OK;
      }
      IntrospectionTables.workers(out, reply.path("workers"));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "hubs",
      mixinStandardHelpOptions = true,
      description = {
        "Worker pools: this hub's own and each federated hub, with health, region, labels,",
        "capabilities, free slots, load and last health report."
      })
  static final class Hubs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode reply = ask(spec, new ClientFrame.Hubs("h"), "hubs:info");
      PrintWriter out = spec.commandLine().getOut();
      if (ReplCommands.repl(spec).json()) {
        out.println(Json.write(reply));
      } else {
        HubsTable.print(out, reply.path("hubs"), System.currentTimeMillis());
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "channels",
      mixinStandardHelpOptions = true,
      description = {
        "Channels published on (last seq, subscribers reached) and subscribed patterns."
      })
  static final class Channels implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode reply = ask(spec, new ClientFrame.Channels("c"), "channels:info");
      Repl repl = ReplCommands.repl(spec);
      reply.path("channels").forEach(c -> repl.state().learnChannel(c.path("channel").asText()));
      reply.path("patterns").forEach(p -> repl.state().learnChannel(p.path("pattern").asText()));
      PrintWriter out = spec.commandLine().getOut();
      if (repl.json()) {
        out.println(Json.write(reply));
        return ExitCode.OK;
      }
      IntrospectionTables.channels(out, reply);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = {"The last events the hub keeps for CHANNEL."},
      footerHeading = "%nExamples:%n",
      footer = {"  history session:started --last 20"})
  static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "CHANNEL",
        completionCandidates = KnownChannels.class,
        description = "A channel name.")
    String channel;

    @Option(
        names = {"-n", "--last"},
        defaultValue = "20",
        paramLabel = "N",
        description = "How many (default ${DEFAULT-VALUE}).")
    int last;

    @Override
    public Integer call() {
      JsonNode reply = ask(spec, new ClientFrame.History(channel, last, "h"), "history:info");
      Repl repl = ReplCommands.repl(spec);
      for (JsonNode event : reply.path("events")) {
        repl.show(event);
      }
      spec.commandLine()
          .getOut()
          .println(
              reply.path("events").size()
                  + " event(s) of "
                  + channel
                  + (reply.hasNonNull("epoch")
                      ? " (epoch " + reply.get("epoch").asText() + ")"
                      : ""));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = {
        "The hub's counters: connections, subscriptions, events, errors, tasks, heap."
      })
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode stats = ask(spec, new ClientFrame.Stats("s"), "stats:info").path("stats");
      spec.commandLine().getOut().println(ReplCommands.repl(spec).printer().body(stats));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {"This connection: state, hub URL, client id, permissions, subscriptions."})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Repl repl = ReplCommands.repl(spec);
      ReplState state = repl.state();
      ObjectNode status = Json.object();
      status.put("state", state.connected() ? "connected" : "disconnected");
      status.put("url", state.url().toString());
      HubConnection connection = state.connection();
      if (connection != null && state.connected()) {
        status.put("clientId", connection.clientId());
        status.set("permissions", Json.MAPPER.valueToTree(connection.permissions()));
        status.put(
            "hub",
            connection.isCmwsHub()
                ? "cmws "
                    + connection.client().greeting().map(g -> g.path("version").asText()).orElse("")
                : "claude-mem");
      }
      status.set("subscriptions", Json.MAPPER.valueToTree(state.subscriptions()));
      spec.commandLine()
          .getOut()
          .println(repl.json() ? Json.write(status) : repl.printer().body(status));
      return ExitCode.OK;
    }
  }
}
