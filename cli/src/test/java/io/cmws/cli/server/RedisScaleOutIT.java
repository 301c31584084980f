package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.redis.RedisSettings;
import io.cmws.testing.RawClient;
import io.cmws.testing.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real hub processes on one Redis, workers on different hubs, 1000 tasks submitted across the
 * hubs, one hub killed with kill -9 mid-run: every acknowledged task completes exactly once (by
 * results), and priorities hold within a capability.
 */
class RedisScaleOutIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int TASKS = 1000;

  private static CmwsProcess hub(RedisSettings redis) throws Exception {
    return CmwsProcess.start(
        "serve",
        "--port",
        "0",
        "--admin-port",
        "-1",
        "--json",
        "--redis",
        redis.url().toString(),
        "--redis-prefix",
        redis.prefix());
  }

  private static URI url(CmwsProcess hub) throws Exception {
    return URI.create(Json.parse(hub.out.next(WAIT)).get("url").asText());
  }

  private static RawClient client(URI url) throws Exception {
    RawClient client = RawClient.greeted(url);
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  /** Short leases, so tasks held by the killed hub's worker come back within seconds. */
  private static String submitFrame(int i) {
    return "{\"type\":\"task:submit\",\"taskType\":\"job\",\"payload\":{\"i\":"
        + i
        + "},\"timeoutMs\":3000,"
        + "\"deduplicationKey\":\"job-"
        + i
        + "\",\"id\":\""
        + i
        + "\"}";
  }

  @Test
  @Timeout(240)
  void everyTaskCompletesExactlyOnceWhenAHubIsKilledMidRun(@TempDir Path dir) throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    Path log = dir.resolve("executions.log");
    Files.createFile(log);
    String executor = "job=shell:echo \"$CMWS_TASK_ID\" >> " + log + "; sleep 0.01; cat";
    CmwsProcess h1 = hub(redis);
    try (CmwsProcess h2 = hub(redis);
        CmwsProcess h3 = hub(redis)) {
      URI u1 = url(h1);
      URI u2 = url(h2);
      URI u3 = url(h3);
      Map<Integer, String> acknowledged = new HashMap<>();
      try (CmwsProcess w1 =
              CmwsProcess.start(
                  "worker",
                  "--url",
                  u1 + "," + u2,
                  "--capabilities",
                  "job",
                  "--concurrency",
                  "4",
                  "--executor",
                  executor,
                  "-q");
          CmwsProcess w3 =
              CmwsProcess.start(
                  "worker",
                  "--url",
                  u3.toString(),
                  "--capabilities",
                  "job",
                  "--concurrency",
                  "4",
                  "--executor",
                  executor,
                  "-q");
          RawClient watcher = client(u3)) {
        watcher
            .send("{\"type\":\"subscribe\",\"channels\":[\"task:completed\",\"task:failed\"]}")
            .expect("subscribed");
        List<RawClient> submitters = List.of(client(u1), client(u2), client(u3));
        for (int i = 0; i < TASKS; i++) {
          submitters.get(i % 3).send(submitFrame(i));
        }
        // hubs two and three acknowledge everything sent to them; hub one dies half-way
        int fromOne = 0;
        while (fromOne < 150) {
          JsonNode ack = submitters.get(0).expect("task:submitted");
          acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
          fromOne++;
        }
        h1.kill(); // kill -9 while it has workers, submissions and running tasks
        drainAcks(submitters.get(0), acknowledged);
        for (RawClient submitter : submitters.subList(1, 3)) {
          for (int i = 0; i < TASKS / 3; i++) {
            JsonNode ack = submitter.expect("task:submitted");
            acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
          }
        }
        int beforeResubmit = acknowledged.size();
        // what hub one never acknowledged is submitted again elsewhere; the dedup key finds any it
        // stored
        try (RawClient again = client(u2)) {
          List<Integer> missing = new ArrayList<>();
          for (int i = 0; i < TASKS; i++) {
            if (!acknowledged.containsKey(i)) {
              missing.add(i);
              again.send(submitFrame(i));
            }
          }
          for (int i = 0; i < missing.size(); i++) {
            JsonNode ack = again.expect("task:submitted");
            acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
          }
        }
        assertEquals(TASKS, acknowledged.size());
        Set<String> ids = new HashSet<>(acknowledged.values());
        assertEquals(TASKS, ids.size(), "one task per submission");

        Map<String, Integer> completions = new HashMap<>();
        try (RawClient lister = client(u2)) {
          JsonNode listed =
              lister
                  .send("{\"type\":\"task:list\",\"limit\":1000,\"state\":\"completed\"}")
                  .expect("task:listed");
          listed.get("tasks").forEach(task -> completions.putIfAbsent(task.get("id").asText(), 0));
        }
        while (!completions.keySet().containsAll(ids)) {
          JsonNode event = watcher.expect("event");
          assertEquals("task:completed", event.get("channel").asText(), event.toString());
          completions.merge(event.get("data").get("taskId").asText(), 1, Integer::sum);
        }
        assertTrue(
            completions.values().stream().allMatch(n -> n <= 1),
            "a task:completed twice: " + completions);

        try (RawClient lister = client(u3)) {
          for (String id : ids) {
            lister.send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}");
          }
          Map<Integer, Integer> perPayload = new HashMap<>();
          for (int n = 0; n < ids.size(); n++) {
            JsonNode task = lister.expect("task:info").get("task");
            assertEquals("completed", task.get("state").asText(), task.toString());
            assertEquals(task.get("payload"), task.get("result"), "the result is the task's own");
            perPayload.merge(task.get("payload").get("i").asInt(), 1, Integer::sum);
          }
          assertEquals(TASKS, perPayload.size(), "every acknowledged task is there, completed");
          assertTrue(
              perPayload.values().stream().allMatch(n -> n == 1), "each payload completed once");
        }
        List<String> executions = Files.readAllLines(log);
        Map<String, Integer> runs = new HashMap<>();
        executions.forEach(id -> runs.merge(id, 1, Integer::sum));
        long repeated = ids.stream().filter(id -> runs.getOrDefault(id, 0) > 1).count();
        assertTrue(ids.stream().allMatch(runs::containsKey), "every task ran");
        assertTrue(
            repeated <= 8,
            repeated + " tasks ran twice (only the killed hub's worker's 4 slots may)");
        System.out.println(
            "scale-out crash test: "
                + beforeResubmit
                + " acknowledged before resubmitting, "
                + repeated
                + " re-ran after the kill, "
                + executions.size()
                + " executions in all");
        submitters.forEach(RawClient::close);
      }
      prioritiesHoldWithinACapability(u2, u3, dir);
    } finally {
      h1.close();
    }
  }

  /**
   * Submitted on hub two while no worker has the capability; one worker on hub three takes them
   * best first.
   */
  private static void prioritiesHoldWithinACapability(URI u2, URI u3, Path dir) throws Exception {
    Path order = dir.resolve("order.log");
    Files.createFile(order);
    int[] priorities = {5, 80, 20, 95, 50, 50, 10, 70};
    try (RawClient submitter = client(u2)) {
      for (int i = 0; i < priorities.length; i++) {
        submitter
            .send(
                "{\"type\":\"task:submit\",\"taskType\":\"ranked\",\"priority\":"
                    + priorities[i]
                    + ",\"payload\":"
                    + priorities[i]
                    + "}")
            .expect("task:submitted");
      }
      try (RawClient watcher = client(u3)) {
        watcher
            .send("{\"type\":\"subscribe\",\"channels\":[\"task:completed\"]}")
            .expect("subscribed");
        try (CmwsProcess worker =
            CmwsProcess.start(
                "worker",
                "--url",
                u3.toString(),
                "--capabilities",
                "ranked",
                "--concurrency",
                "1",
                "--executor",
                "ranked=shell:cat >> " + order + "; echo >> " + order + "; echo ok",
                "-q")) {
          for (int done = 0; done < priorities.length; done++) {
            watcher.expect("event");
          }
        }
      }
    }
    List<Integer> ran = new ArrayList<>();
    for (String line : Files.readAllLines(order)) {
      if (!line.isBlank()) {
        ran.add(Integer.parseInt(line.trim()));
      }
    }
    assertEquals(
        List.of(95, 80, 70, 50, 50, 20, 10, 5),
        ran,
        "best priority first, one capability, across hubs");
  }

  /** Acks already on the wire before the crash still count. */
  private static void drainAcks(RawClient submitter, Map<Integer, String> acknowledged)
      throws InterruptedException {
    while (true) {
      try {
        JsonNode ack = submitter.next();
        if (ack.path("type").asText().equals("task:submitted")) {
          acknowledged.put(ack.get("id").asInt(), ack.get("taskId").asText());
        }
      } catch (AssertionError closed) {
        return;
      }
    }
  }
}
