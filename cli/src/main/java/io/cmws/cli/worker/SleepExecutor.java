package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.executor.TaskContext;
import io.cmws.executor.TaskExecutor;
import io.cmws.executor.TaskFailedException;
import io.cmws.protocol.Json;

/**
 * Built-in {@code sleep}: waits {@code payload.ms} (or a bare number of ms) and returns {@code
 * {"sleptMs": n}}; for demos and tests of timeouts, leases and cancellation.
 */
final class SleepExecutor implements TaskExecutor {
  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public JsonNode execute(TaskContext task) throws TaskFailedException, InterruptedException {
    JsonNode payload = task.payload();
    JsonNode ms = payload.isNumber() ? payload : payload.path("ms");
    if (!ms.canConvertToLong() || ms.asLong() < 0) {
      throw new TaskFailedException("sleep needs a payload like {\"ms\": 500}", false);
    }
    Thread.sleep(ms.asLong());
    return Json.object().put("sleptMs", ms.asLong());
  }
}
