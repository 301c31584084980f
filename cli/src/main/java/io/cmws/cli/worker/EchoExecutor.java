package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;

/** Built-in {@code echo}: the result is the payload. */
final class EchoExecutor implements TaskExecutor {
  @Override
  public String name() {
    return "echo";
  }

  @Override
  public JsonNode execute(TaskContext task) {
    return task.payload();
  }
}
