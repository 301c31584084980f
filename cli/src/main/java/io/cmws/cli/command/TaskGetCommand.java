package io.cmws.cli.command;

import io.cmws.cli.client.HubConnection;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cmws task get}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {"Show one task: state, attempts, worker, payload, result and error."},
    footerHeading = "%nExamples:%n",
    footer = {"  cmws task get 0f3c...", "  cmws task get 0f3c... --json | jq .result"})
public final class TaskGetCommand extends RequestCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "The task id.")
  String taskId;

  @Override
  public Integer call() throws Exception {
    try (HubConnection hub = open()) {
      var task =
          request(hub, new ClientFrame.TaskGet(taskId, "g1"), "task:get", "task:info").path("task");
      out()
          .println(
              json
                  ? Json.write(task)
                  : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(task));
      out().flush();
      return ExitCode.OK;
    }
  }
}
