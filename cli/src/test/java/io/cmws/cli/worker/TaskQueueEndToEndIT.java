package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real processes: {@code cmws serve}, two {@code cmws worker}s with different capabilities and
 * shell executors, 200 tasks of mixed priorities and capabilities.
 */
class TaskQueueEndToEndIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int TASKS = 200;

  /** A shell executor that answers with its worker's name and the payload. */
  private static String executor(String capability, String worker) {
    return capability + "=shell:printf '{\"worker\":\"" + worker + "\",\"payload\":%s}' \"$(cat)\"";
  }

  @Test
  @Timeout(120)
  void everyTaskCompletesOnceOnACapableWorkerHighestPriorityFirst() throws Exception {
    try (CmwsProcess serve = CmwsProcess.start("serve", "--port", "0", "--json")) {
      String url = Json.parse(serve.out.next(WAIT)).get("url").asText();
      try (RawClient watcher = RawClient.greeted(URI.create(url));
          RawClient submitter = RawClient.greeted(URI.create(url))) {
        watcher.send("{\"type\":\"auth\"}").expect("auth:success");
        watcher.send("{\"type\":\"subscribe\",\"channels\":[\"task:*\"]}").expect("subscribed");
        submitter.send("{\"type\":\"auth\"}").expect("auth:success");

        Random random = new Random(42);
        Map<String, String> capabilityOf = new HashMap<>();
        Map<String, Integer> priorityOf = new HashMap<>();
        int[] priorities = {10, 50, 90};
        for (int i = 0; i < TASKS; i++) {
          String capability = i % 2 == 0 ? "alpha" : "beta";
          int priority = priorities[random.nextInt(3)];
          String id =
              submitter
                  .send(
                      "{\"type\":\"task:submit\",\"taskType\":\""
                          + capability
                          + "\",\"priority\":"
                          + priority
                          + ",\"payload\":{\"i\":"
                          + i
                          + "}}")
                  .expect("task:submitted")
                  .get("taskId")
                  .asText();
          capabilityOf.put(id, capability);
          priorityOf.put(id, priority);
        }

        // all tasks wait before any worker exists, so both workers are saturated from the start
        try (CmwsProcess alpha =
                CmwsProcess.start(
                    "worker",
                    "--url",
                    url,
                    "--capabilities",
                    "alpha",
                    "--concurrency",
                    "2",
                    "--executor",
                    executor("alpha", "A"),
                    "-q");
            CmwsProcess beta =
                CmwsProcess.start(
                    "worker",
                    "--url",
                    url,
                    "--capabilities",
                    "beta",
                    "--concurrency",
                    "2",
                    "--executor",
                    executor("beta", "B"),
                    "-q")) {
          Map<String, Integer> completions = new HashMap<>();
          Map<String, List<Integer>> assignedPriorities =
              Map.of("alpha", new ArrayList<>(), "beta", new ArrayList<>());
          int queuedEvents = 0;
          while (completions.size() < TASKS) {
            JsonNode event = watcher.expect("event");
            JsonNode data = event.get("data");
            String taskId = data.path("taskId").asText();
            switch (event.get("channel").asText()) {
              case "task:queued" -> queuedEvents++;
              case "task:assigned" ->
                  assignedPriorities.get(capabilityOf.get(taskId)).add(priorityOf.get(taskId));
              case "task:completed" -> completions.merge(taskId, 1, Integer::sum);
              case "task:failed", "task:retrying" ->
                  throw new AssertionError("unexpected " + event);
              default -> {}
            }
          }
          assertEquals(TASKS, queuedEvents);
          assertTrue(
              completions.values().stream().allMatch(n -> n == 1),
              "each task completed exactly once");

          for (String capability : List.of("alpha", "beta")) {
            List<Integer> order = assignedPriorities.get(capability);
            assertEquals(TASKS / 2, order.size());
            for (int i = 1; i < order.size(); i++) {
              assertTrue(
                  order.get(i - 1) >= order.get(i),
                  capability + " assignments by priority: " + order);
            }
          }

          JsonNode listed =
              submitter.send("{\"type\":\"task:list\",\"limit\":1000}").expect("task:listed");
          assertEquals(TASKS, listed.get("tasks").size());
          for (JsonNode task : listed.get("tasks")) {
            assertEquals("completed", task.get("state").asText());
            assertEquals(1, task.get("attempt").asInt());
            String expectedWorker = task.get("type").asText().equals("alpha") ? "A" : "B";
            assertEquals(
                expectedWorker,
                task.get("result").get("worker").asText(),
                "ran on a worker with its capability");
            assertEquals(task.get("payload"), task.get("result").get("payload"));
          }
        }
      }
    }
  }
}
