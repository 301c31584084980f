package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.output.EventPrinter;
import io.cmws.cli.output.OutputFormat;
import io.cmws.cli.output.Style;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cmws history}: the events a hub keeps for a channel, printed as subscribe prints. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the events a hub keeps for CHANNEL.",
      "The newest N, oldest first, in the shape of cmws subscribe (text, or",
      "JSON Lines with --json), then exit. Needs the subscribe permission."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:printed (also when the hub keeps none)",
      "2:bad channel or --last",
      "3:cannot reach the hub",
      "5:refused (token or permission)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws history session:started",
      "  cmws history task:failed --last 5 --json | jq .data.error"
    })
public final class HistoryCommand extends RequestCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CHANNEL", description = "A channel name (no wildcards).")
  String channel;

  @Option(
      names = {"-n", "--last"},
      paramLabel = "N",
      defaultValue = "20",
      description = "How many of the newest events (default ${DEFAULT-VALUE}).")
  int last;

  @Override
  String whyCmwsOnly() {
    return "claude-mem keeps no history";
  }

  @Override
  public Integer call() {
    if (last < 1 || last > 10_000) {
      throw CliException.usage("--last must be 1..10000");
    }
    try (HubConnection hub = open()) {
      JsonNode reply =
          request(hub, new ClientFrame.History(channel, last, "h1"), "history", "history:info");
      EventPrinter printer =
          new EventPrinter(
              out(),
              json ? OutputFormat.JSON : OutputFormat.TEXT,
              Style.decide("auto", root().stdoutIsTerminal(), root().env()));
      reply.path("events").forEach(printer::print);
      out().flush();
      return ExitCode.OK;
    }
  }
}
