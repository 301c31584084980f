package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.output.IntrospectionTables;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cmws workers}: the REPL's {@code workers}, once, for scripts. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List the workers registered with a hub.",
      "Id, capabilities, concurrency, running tasks and ping latency. Needs the",
      "admin permission (loopback without tokens has it)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "3:cannot reach the hub", "5:refused (token or permission)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws workers",
      "  cmws workers --json | jq -r '.workers[] | select(.running | length > 0) | .id'"
    })
public final class WorkersCommand extends RequestCommand implements Callable<Integer> {

  @Override
  String whyCmwsOnly() {
    return "claude-mem has no workers request";
  }

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode workers =
          request(hub, new ClientFrame.Workers("w1"), "workers", "workers:info").path("workers");
      if (json) {
        out().println(Json.write(Json.object().set("workers", workers)));
      } else {
        IntrospectionTables.workers(out(), workers);
      }
      out().flush();
      return ExitCode.OK;
    }
  }
}
