package io.cmws.cli.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import java.io.PrintWriter;
import java.util.List;

/**
 * What a worker reports: status lines on stderr (unless quiet) and, with {@code --json}, one JSON
 * line per event on stdout: {@code registered}, {@code started}, {@code completed}, {@code failed}.
 * Thread-safe: task threads report concurrently.
 */
final class WorkerLog {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean quiet;

  WorkerLog(PrintWriter out, PrintWriter err, boolean json, boolean quiet) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.quiet = quiet;
  }

  synchronized void status(String message) {
    if (!quiet) {
      err.println("cmws: " + message);
      err.flush();
    }
  }

  synchronized void registered(
      String workerId, String url, List<String> capabilities, int concurrency) {
    status(
        "registered as "
            + workerId
            + " on "
            + url
            + ": capabilities "
            + String.join(",", capabilities)
            + ", concurrency "
            + concurrency);
    if (json) {
      ObjectNode line =
          event("registered")
              .put("workerId", workerId)
              .put("url", url)
              .put("concurrency", concurrency);
      line.set("capabilities", Json.MAPPER.valueToTree(capabilities));
      print(line);
    }
  }

  synchronized void started(RunningTask task) {
    status("task " + task.taskId() + " (" + task.type() + attemptText(task) + ") started");
    if (json) {
      print(taskEvent("started", task));
    }
  }

  synchronized void completed(RunningTask task) {
    long millis = task.elapsedMillis();
    status("task " + task.taskId() + " completed in " + millis + " ms");
    if (json) {
      print(taskEvent("completed", task).put("durationMs", millis));
    }
  }

  synchronized void failed(RunningTask task, String error, boolean retryable) {
    status(
        "task "
            + task.taskId()
            + " failed after "
            + task.elapsedMillis()
            + " ms"
            + (retryable ? "" : " (not retryable)")
            + ": "
            + error);
    if (json) {
      print(
          taskEvent("failed", task)
              .put("durationMs", task.elapsedMillis())
              .put("error", error)
              .put("retryable", retryable));
    }
  }

  private static String attemptText(RunningTask task) {
    return task.attempt() > 1 ? ", attempt " + task.attempt() : "";
  }

  private static ObjectNode event(String name) {
    return Json.object().put("event", name).put("time", System.currentTimeMillis());
  }

  private static ObjectNode taskEvent(String name, RunningTask task) {
    return event(name)
        .put("taskId", task.taskId())
        .put("type", task.type())
        .put("capability", task.capability())
        .put("attempt", task.attempt());
  }

  private void print(ObjectNode line) {
    out.println(Json.write(line));
    out.flush();
  }
}
