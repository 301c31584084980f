package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cmws task list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"List recent tasks, newest first."},
    footerHeading = "%nExamples:%n",
    footer = {"  cmws task list", "  cmws task list --state failed --json | jq -r .error"})
public final class TaskListCommand extends RequestCommand implements Callable<Integer> {
  @Option(
      names = "--state",
      paramLabel = "STATE",
      description = "pending, assigned, completed, failed or cancelled.")
  String state;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "50",
      description = "At most N tasks (default ${DEFAULT-VALUE}, max 1000).")
  int limit;

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode listed =
          request(hub, new ClientFrame.TaskList(state, limit, "l1"), "task:list", "task:listed");
      if (!json) {
        out()
            .printf(
                "%-36s  %-9s  %-20s  %7s  %-24s  %s%n",
                "ID", "STATE", "TYPE", "ATTEMPT", "SUBMITTER", "WORKER");
      }
      for (JsonNode task : listed.path("tasks")) {
        if (json) {
          out().println(Json.write(task));
        } else {
          out()
              .printf(
                  "%-36s  %-9s  %-20s  %7d  %-24s  %s%n",
                  task.path("id").asText(),
                  task.path("state").asText(),
                  task.path("type").asText(),
                  task.path("attempt").asInt(),
                  submitter(task),
                  task.path("workerId").asText("-"));
        }
      }
      out().flush();
      return ExitCode.OK;
    }
  }

  /** The connection that submitted it ({@code cli-3-...}), else its token's name. */
  private static String submitter(JsonNode task) {
    return task.hasNonNull("clientId")
        ? task.get("clientId").asText()
        : task.path("submittedBy").asText("-");
  }
}
