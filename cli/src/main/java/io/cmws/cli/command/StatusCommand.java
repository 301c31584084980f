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

/** {@code cmws status}: one look at a hub. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show a hub at a glance.",
      "Health, version, uptime, store, connections by type, workers, waiting",
      "and running tasks, channels and events. With --json one JSON document.",
      "Needs the admin permission (loopback without tokens has it)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the hub answered (see health: ok or degraded)",
      "3:cannot reach the hub",
      "5:refused (token or permission)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws status",
      "  cmws status --json | jq '.tasks.waiting'",
      "  cmws status --url ws://hub.internal:8765/ws --token \"$ADMIN_TOKEN\""
    })
public final class StatusCommand extends RequestCommand implements Callable<Integer> {

  @Override
  String whyCmwsOnly() {
    return "claude-mem answers GET /api/health on its HTTP port";
  }

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode stats =
          request(hub, new ClientFrame.Stats("s1"), "status", "stats:info").path("stats");
      JsonNode greeting = hub.client().greeting().orElse(Json.object());
      ObjectNode status = Json.object();
      status.put("url", hub.url().toString());
      status.put(
          "server", greeting.path("server").asText() + " " + greeting.path("version").asText());
      status.put("version", greeting.path("version").asText());
      status.setAll((ObjectNode) stats);
      if (json) {
        out().println(Json.write(status));
      } else {
        IntrospectionTables.status(out(), status);
      }
      out().flush();
      return ExitCode.OK;
    }
  }
}
