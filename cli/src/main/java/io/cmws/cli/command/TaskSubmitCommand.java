package io.cmws.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.cli.client.ConnectionStatus;
import io.cmws.cli.client.HubConnection;
import io.cmws.cli.client.Inbound;
import io.cmws.cli.support.CliException;
import io.cmws.cli.support.DurationConverter;
import io.cmws.cli.support.ExitCode;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cmws task submit}. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Queue a task of TYPE with PAYLOAD.",
      "PAYLOAD is JSON when it parses, else a JSON string; '-' reads stdin.",
      "Prints the task id, or with --wait the result once the task is done."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:queued (with --wait: completed)",
      "1:with --wait: the task failed or was cancelled",
      "3:connection lost",
      "4:--wait-timeout reached",
      "5:refused (permission, queue full, invalid task)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cmws task submit echo '{\"n\":1}' --wait",
      "  cmws task submit observation - --capability observation:mistral < payload.json",
      "  cmws task submit resize '{\"file\":\"a.png\"}' --priority 90 --max-retries 5",
      "  cmws task submit embed - --prefer-hub gpu-box --label gpu=a100 < doc.json"
    })
public final class TaskSubmitCommand extends RequestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TYPE", description = "Task type (workers dispatch on it).")
  String type;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PAYLOAD",
      description = "JSON or text; '-' for stdin.")
  String payload;

  @Option(
      names = "--capability",
      paramLabel = "CAP",
      description = "Required capability (default: TYPE).")
  String capability;

  @Option(
      names = "--fallback",
      paramLabel = "CAP",
      split = ",",
      description = "Capabilities to use when no worker has the required one.")
  List<String> fallbacks = new ArrayList<>();

  @Option(
      names = {"-p", "--priority"},
      paramLabel = "N",
      description = "Higher runs first (default: the type's, 50).")
  Integer priority;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description = "Attempts in total, as claude-mem counts (default: 3).")
  Integer maxRetries;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Lease of one attempt: how long a worker may go silent on it (default 5m).")
  Duration timeout;

  @Option(
      names = "--dedup",
      paramLabel = "KEY",
      description = "While a task with KEY is open, return it instead of queueing another.")
  String deduplicationKey;

  @Option(
      names = "--prefer-hub",
      paramLabel = "NAME",
      description =
          "Run it on this federated hub (or this hub's own workers, by its name) if it can.")
  String preferHub;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "Prefer pools in this region, if any can run it.")
  String region;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "Prefer pools with this label, if any can run it (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = {"-w", "--wait"},
      description = "Wait for the outcome and print the result.")
  boolean await;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --wait: give up (exit 4) after this long; the task goes on.")
  Duration waitTimeout;

  @Override
  public Integer call() {
    JsonNode body =
        payload == null
            ? NullNode.getInstance()
            : "-".equals(payload) ? stdin() : Json.parseOrString(payload);
    try (HubConnection hub = open()) {
      hub.send(
          new ClientFrame.TaskSubmit(
              type,
              body,
              capability,
              fallbacks.isEmpty() ? null : fallbacks,
              priority,
              maxRetries,
              timeout == null ? null : timeout.toMillis(),
              deduplicationKey,
              null,
              await ? Boolean.TRUE : null,
              "s1",
              preferHub,
              region,
              labels.isEmpty() ? null : labels));
      Map<String, JsonNode> results = new HashMap<>();
      JsonNode submitted = awaitSubmitted(hub, results);
      String taskId = submitted.path("taskId").asText();
      if (!await) {
        out()
            .println(
                json
                    ? Json.write(
                        Json.object()
                            .put("taskId", taskId)
                            .put("deduplicated", submitted.path("deduplicated").asBoolean()))
                    : taskId);
        out().flush();
        return ExitCode.OK;
      }
      status("queued task " + taskId + "; waiting for it");
      return printOutcome(
          taskId, results.containsKey(taskId) ? results.get(taskId) : awaitResult(hub, taskId));
    }
  }

  /** The submission ack; a fast task's result may come first and is kept. */
  private JsonNode awaitSubmitted(HubConnection hub, Map<String, JsonNode> results) {
    while (true) {
      JsonNode frame =
          hub.await(connection.connectTimeout(), "task:submit", "task:submitted", "task:result");
      if (frame.path("type").asText().equals("task:submitted")) {
        return frame;
      }
      results.put(frame.path("taskId").asText(), frame);
    }
  }

  private JsonNode awaitResult(HubConnection hub, String taskId) {
    Instant deadline = waitTimeout == null ? Instant.MAX : Instant.now().plus(waitTimeout);
    while (true) {
      Duration left =
          waitTimeout == null ? Duration.ofHours(1) : Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw CliException.timeout(
            "task "
                + taskId
                + " is not done after "
                + waitTimeout.toMillis()
                + " ms; it goes on: cmws task get "
                + taskId);
      }
      Optional<Inbound> next = hub.poll(left);
      if (next.isEmpty()) {
        continue;
      }
      if (next.get() instanceof Inbound.Closed closed) {
        throw CliException.connection(
            ConnectionStatus.lost(hub.url(), closed)
                + " while waiting; the task goes on: cmws task get "
                + taskId);
      }
      Inbound.Frame frame = (Inbound.Frame) next.get();
      if (frame.type().equals("task:result")
          && frame.node().path("taskId").asText().equals(taskId)) {
        return frame.node();
      }
    }
  }

  private int printOutcome(String taskId, JsonNode outcome) {
    String state = outcome.path("state").asText();
    if (json) {
      ObjectNode line = Json.object().put("taskId", taskId).put("state", state);
      line.set("result", outcome.get("result"));
      line.set("error", outcome.get("error"));
      line.set("attempt", outcome.get("attempt"));
      out().println(Json.write(line));
    } else if (state.equals("completed")) {
      out()
          .println(
              Json.write(outcome.has("result") ? outcome.get("result") : NullNode.getInstance()));
    }
    out().flush();
    if (state.equals("completed")) {
      return ExitCode.OK;
    }
    err()
        .println(
            "cmws: task "
                + taskId
                + " "
                + state
                + " after "
                + outcome.path("attempt").asInt()
                + " attempt(s): "
                + outcome.path("error").asText(""));
    err().flush();
    return ExitCode.FAILURE;
  }

  private JsonNode stdin() {
    try {
      return Json.parseOrString(
          new String(root().stdin().readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw CliException.failure("cannot read stdin: " + e.getMessage(), e);
    }
  }
}
