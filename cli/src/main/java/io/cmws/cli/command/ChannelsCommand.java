package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.output.IntrospectionTables;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cmws channels}: the REPL's {@code channels}, once, for scripts. */
@Command(
    name = "channels",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the channels and subscribed patterns of a hub.",
      "Channels published on with their last seq and subscribers reached, then",
      "the patterns subscribed to. Needs the admin permission (loopback without",
      "tokens has it)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "3:cannot reach the hub", "5:refused (token or permission)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws channels",
      "  cmws channels --json | jq -r '.channels[] | \"\\(.channel) \\(.seq)\"'"
    })
public final class ChannelsCommand extends RequestCommand implements Callable<Integer> {

  @Override
  String whyCmwsOnly() {
    return "claude-mem has no channels request";
  }

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode reply = request(hub, new ClientFrame.Channels("c1"), "channels", "channels:info");
      if (json) {
        ObjectNode document = Json.object();
        document.set("channels", reply.path("channels"));
        document.set("patterns", reply.path("patterns"));
        out().println(Json.write(document));
      } else {
        IntrospectionTables.channels(out(), reply);
      }
      out().flush();
      return ExitCode.OK;
    }
  }
}
