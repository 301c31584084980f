package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 tasks, the hub killed with kill -9 half-way, restarted on the same data directory: every
 * acknowledged task is completed, and recorded completed once.
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int TASKS = 1000;

  private static CmwsProcess hub(Path data, int port) throws Exception {
    return CmwsProcess.durableHub(data, port);
  }

  private static String submitFrame(int i) {
    // the dedup key lets an unacknowledged resubmission find its task if the crash kept it
    return "{\"type\":\"task:submit\",\"taskType\":\"job\",\"payload\":{\"i\":"
        + i
        + "},\"deduplicationKey\":\"job-"
        + i
        + "\",\"id\":\""
        + i
        + "\"}";
  }

  @Test
  @Timeout(240)
  void everyAcknowledgedTaskCompletesExactlyOnceAcrossAKill9(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("executions.log");
    Files.createFile(log);
    String executor = "job=shell:echo \"$CMWS_TASK_ID\" >> " + log + "; sleep 0.01; cat";
    Map<Integer, String> acknowledged = new HashMap<>();

    CmwsProcess first = hub(data, 0);
    URI url = URI.create(Json.parse(first.out.next(WAIT)).get("url").asText());
    int port = url.getPort();
    try (CmwsProcess w1 =
            CmwsProcess.start(
                "worker",
                "--url",
                url.toString(),
                "--capabilities",
                "job",
                "--concurrency",
                "4",
                "--executor",
                executor,
                "-q");
        CmwsProcess w2 =
            CmwsProcess.start(
                "worker",
                "--url",
                url.toString(),
                "--capabilities",
                "job",
                "--concurrency",
                "4",
                "--executor",
                executor,
                "-q")) {
      try (RawClient submitter = RawClient.greeted(url)) {
        submitter.send("{\"type\":\"auth\"}").expect("auth:success");
        for (int i = 0; i < TASKS; i++) {
          submitter.send(submitFrame(i));
        }
        while (acknowledged.size() < 400) {
          JsonNode ack = submitter.expect("task:submitted");
          acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
        }
        first.kill(); // kill -9, mid-way through submissions and work
        while (true) { // acks already on the wire before the crash still count
          try {
            JsonNode ack = submitter.next();
            if (ack.path("type").asText().equals("task:submitted")) {
              acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
            }
          } catch (AssertionError closed) {
            break;
          }
        }
      }
      int beforeCrash = acknowledged.size();

      CmwsProcess second = hub(data, port);
      second.out.next(WAIT); // listening again
      try (second;
          RawClient watcher = RawClient.greeted(url);
          RawClient submitter = RawClient.greeted(url)) {
        watcher.send("{\"type\":\"auth\"}").expect("auth:success");
        watcher
            .send("{\"type\":\"subscribe\",\"channels\":[\"task:completed\",\"task:failed\"]}")
            .expect("subscribed");
        submitter.send("{\"type\":\"auth\"}").expect("auth:success");
        for (int i = 0; i < TASKS; i++) {
          if (!acknowledged.containsKey(i)) {
            submitter.send(submitFrame(i));
          }
        }
        for (int i = beforeCrash; i < TASKS; i++) {
          JsonNode ack = submitter.expect("task:submitted");
          acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
        }
        assertEquals(TASKS, acknowledged.size());
        Set<String> ids = new HashSet<>(acknowledged.values());

        Set<String> done = new HashSet<>();
        JsonNode listed =
            submitter
                .send("{\"type\":\"task:list\",\"limit\":1000,\"state\":\"completed\"}")
                .expect("task:listed");
        listed.get("tasks").forEach(task -> done.add(task.get("id").asText()));
        watcher.keepAlive();
        while (!done.containsAll(ids)) {
          // workers come back with backoff after the restart: allow more than RawClient's 10 s
          JsonNode event = watcher.poll(WAIT);
          assertTrue(event != null, "no task event within " + WAIT + "; done " + done.size());
          String taskId = event.get("data").get("taskId").asText();
          assertEquals("task:completed", event.get("channel").asText(), event.toString());
          assertTrue(ids.contains(taskId) || !done.contains(taskId), "completed twice: " + taskId);
          done.add(taskId);
        }

        JsonNode all =
            submitter.send("{\"type\":\"task:list\",\"limit\":1000}").expect("task:listed");
        Map<Integer, Integer> completedPerPayload = new HashMap<>();
        for (JsonNode task : all.get("tasks")) {
          if (ids.contains(task.get("id").asText())) {
            assertEquals("completed", task.get("state").asText());
            assertEquals(task.get("payload"), task.get("result"), "the result is the task's own");
            completedPerPayload.merge(task.get("payload").get("i").asInt(), 1, Integer::sum);
          }
        }
        assertEquals(TASKS, completedPerPayload.size(), "every acknowledged task is there");
        assertTrue(
            completedPerPayload.values().stream().allMatch(n -> n == 1),
            "and recorded completed once");

        List<String> executions = Files.readAllLines(log);
        Map<String, Integer> runs = new HashMap<>();
        executions.forEach(id -> runs.merge(id, 1, Integer::sum));
        long repeated = ids.stream().filter(id -> runs.getOrDefault(id, 0) > 1).count();
        assertTrue(ids.stream().allMatch(runs::containsKey), "every acknowledged task ran");
        // at-least-once across a crash: only work in flight when the hub died may run again
        assertTrue(repeated <= 16, repeated + " tasks ran twice");
        System.out.println(
            "crash test: "
                + beforeCrash
                + " acknowledged before the kill, "
                + repeated
                + " tasks re-ran after it, "
                + executions.size()
                + " executions in all");
      }
    } finally {
      first.close();
    }
  }
}
