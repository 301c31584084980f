package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.output.HubsTable;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cmws hubs}: the pools a hub routes tasks to. */
@Command(
    name = "hubs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the worker pools a hub routes tasks to.",
      "Its own workers and every federated hub, with health, region, labels,",
      "capabilities, free slots,",
      "load (busy/connected workers) and the age of the last health report.",
      "Needs the admin permission (loopback without tokens has it)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "3:cannot reach the hub", "5:refused (token or permission)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws hubs",
      "  cmws hubs --url ws://hub.internal:8765/ws --token \"$ADMIN_TOKEN\"",
      "  cmws hubs --json | jq -r 'select(.online == false) | .name'"
    })
public final class HubsCommand extends RequestCommand implements Callable<Integer> {

  @Override
  String whyCmwsOnly() {
    return "claude-mem lists its hubs at /api/hubs";
  }

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode hubs = request(hub, new ClientFrame.Hubs("h1"), "hubs", "hubs:info").path("hubs");
      if (json) {
        hubs.forEach(entry -> out().println(Json.write(entry)));
      } else {
        HubsTable.print(out(), hubs, System.currentTimeMillis());
      }
      out().flush();
      return ExitCode.OK;
    }
  }
}
