package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cmws task cancel}. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {"Cancel a waiting or running task; a running one's worker is told to stop."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:cancelled", "5:already finished, unknown, or not yours"},
    footerHeading = "%nExamples:%n",
    footer = {"  cmws task cancel 0f3c... --reason 'wrong input'"})
public final class TaskCancelCommand extends RequestCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "The task id.")
  String taskId;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why; shown in the task and the task:cancelled event.")
  String reason;

  @Override
  public Integer call() {
    try (HubConnection hub = open()) {
      JsonNode task =
          request(hub, new ClientFrame.TaskCancel(taskId, reason, "c1"), "task:cancel", "task:info")
              .path("task");
      String state = task.path("state").asText();
      if (json) {
        out().println(Json.write(Json.object().put("taskId", taskId).put("state", state)));
        out().flush();
      }
      if (!state.equals("cancelled")) {
        throw CliException.rejected(
            "task " + taskId + " was not cancelled: it is already " + state);
      }
      status("cancelled task " + taskId);
      return ExitCode.OK;
    }
  }
}
