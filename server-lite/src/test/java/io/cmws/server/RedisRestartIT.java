package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.redis.RedisSettings;
import io.cmws.testing.RawClient;
import io.cmws.testing.RedisServer;
import io.cmws.testing.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-server (AOF on, fsync always) killed and restarted while tasks flow through two hubs: the
 * hubs report degraded and refuse work meanwhile, recover on their own, and every task whose
 * submission was acknowledged completes.
 */
@Timeout(120)
class RedisRestartIT {

  private static RawClient client(TestHub hub) throws Exception {
    RawClient client = RawClient.greeted(hub.url());
    client.send("{\"type\":\"auth\"}").expect("auth:success");
    return client;
  }

  private static HttpResponse<String> health(TestHub hub) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(hub.adminUrl() + "/health"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A scripted worker that completes whatever it is given, echoing the payload, and heartbeats
   * every second like a claude-mem worker (a worker whose lease ran out waits for one), until
   * stopped.
   */
  static final java.util.List<String> SEEN =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private static Thread echoWorker(RawClient worker, String workerId, AtomicBoolean stop) {
    Thread thread =
        new Thread(
            () -> {
              long nextHeartbeat = 0;
              while (!stop.get()) {
                try {
                  if (System.nanoTime() - nextHeartbeat > 0) {
                    worker.send(
                        "{\"type\":\"heartbeat\",\"workerId\":\""
                            + workerId
                            + "\",\"currentTasks\":[]}");
                    nextHeartbeat = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                  }
                  JsonNode frame = worker.poll(Duration.ofMillis(200));
                  if (frame != null && !frame.path("type").asText().equals("heartbeat:ack")) {
                    SEEN.add(System.currentTimeMillis() + " " + frame);
                  }
                  if (frame != null && frame.path("type").asText().equals("task:assign")) {
                    JsonNode task = frame.get("task");
                    worker.send(
                        "{\"type\":\"task:complete\",\"taskId\":\""
                            + task.get("id").asText()
                            + "\",\"result\":"
                            + task.get("payload")
                            + "}");
                  } else if (frame != null && frame.path("type").asText().equals("ping")) {
                    worker.send("{\"type\":\"pong\"}");
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "echo-worker");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String submitFrame(int i) {
    return "{\"type\":\"task:submit\",\"taskType\":\"echo\",\"payload\":{\"i\":"
        + i
        + "},\"timeoutMs\":3000,"
        + "\"id\":\""
        + i
        + "\"}";
  }

  @Test
  void hubsRecoverFromARedisRestartAndNoAcknowledgedTaskIsLost(@TempDir Path dir) throws Exception {
    try (RedisServer redisServer =
        RedisServer.start(dir, "--appendonly", "yes", "--appendfsync", "always")) {
      RedisSettings redis = redisServer.settings();
      AtomicBoolean stop = new AtomicBoolean();
      try (TestHub one = TestHub.start(c -> c.withRedis(redis));
          TestHub two = TestHub.start(c -> c.withRedis(redis));
          RawClient submitter = client(one);
          RawClient worker = RawClient.connect(two.url())) {
        String workerId = worker.expect("connection:pending").get("clientId").asText();
        worker
            .send(
                "{\"type\":\"register\",\"capabilities\":[\"echo\"],\"metadata\":{\"concurrency\":8}}")
            .expect("registered");
        Thread workerThread = echoWorker(worker, workerId, stop);
        Set<String> acknowledged = new HashSet<>();
        for (int i = 0; i < 100; i++) {
          acknowledged.add(
              submitter.send(submitFrame(i)).expect("task:submitted").get("taskId").asText());
        }
        assertEquals(200, health(one).statusCode());

        redisServer.kill(); // SIGKILL: only what was fsynced survives, and AOF fsyncs every write
        HttpResponse<String> degraded = health(one);
        for (int i = 0; i < 50 && degraded.statusCode() == 200; i++) {
          submitter
              .send("{\"type\":\"ping\"}")
              .expect("pong"); // let the hub notice; a round trip, not a sleep
          degraded = health(one);
        }
        assertEquals(503, degraded.statusCode(), degraded.body());
        JsonNode body = Json.parse(degraded.body());
        assertEquals("degraded", body.get("status").asText());
        assertTrue(body.get("reason").asText().contains("Redis"), body.toString());
        JsonNode refused = submitter.send(submitFrame(1000)).expect("error");
        assertEquals("unavailable", refused.get("code").asText(), refused.toString());
        JsonNode notPublished =
            submitter.send("{\"type\":\"publish\",\"channel\":\"x\",\"data\":1}").expect("error");
        assertEquals("unavailable", notPublished.get("code").asText(), notPublished.toString());

        redisServer.restart();
        HttpResponse<String> back = health(one);
        for (int i = 0; i < 400 && back.statusCode() != 200; i++) {
          submitter.send("{\"type\":\"ping\"}").expect("pong");
          back = health(one);
        }
        assertEquals(200, back.statusCode(), "recovered by itself: " + back.body());
        for (int i = 100; i < 200; i++) {
          JsonNode reply = submitter.send(submitFrame(i)).expect("task:submitted");
          acknowledged.add(reply.get("taskId").asText());
        }

        // task events are at most once while Redis is flaky; the task's own state is the truth
        try (RawClient watcher = client(two)) {
          watcher
              .send("{\"type\":\"subscribe\",\"channels\":[\"task:completed\"]}")
              .expect("subscribed");
          Set<String> done = new HashSet<>();
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (!done.containsAll(acknowledged) && System.nanoTime() < deadline) {
            for (String id : acknowledged) {
              if (!done.contains(id)) {
                JsonNode task =
                    submitter
                        .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
                        .expect("task:info")
                        .get("task");
                if (task.get("state").asText().equals("completed")) {
                  done.add(id);
                }
              }
            }
            for (JsonNode event = watcher.poll(Duration.ofSeconds(1));
                event != null;
                event = watcher.poll(Duration.ofMillis(50))) {
              if (event.path("type").asText().equals("event")) {
                done.add(event.get("data").get("taskId").asText());
              }
            }
          }
          if (!done.containsAll(acknowledged)) {
            StringBuilder stuck = new StringBuilder();
            for (String id : acknowledged) {
              if (!done.contains(id)) {
                stuck
                    .append(
                        submitter
                            .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
                            .expect("task:info")
                            .get("task"))
                    .append('\n');
              }
            }
            JsonNode workers;
            try (RawClient admin = client(two)) {
              workers = admin.send("{\"type\":\"workers\"}").expect("workers:info");
            }
            StringBuilder seen = new StringBuilder();
            synchronized (SEEN) {
              for (String line : SEEN) {
                if (!line.contains("task:assign")
                    || stuck
                        .toString()
                        .contains(line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))) {
                  seen.append(line).append('\n');
                }
              }
            }
            throw new AssertionError(
                (acknowledged.size() - done.size())
                    + " acknowledged tasks not completed:\n"
                    + stuck
                    + "the worker saw:\n"
                    + seen
                    + "workers on hub two: "
                    + workers);
          }
        }
        stop.set(true);
        workerThread.join(15_000);
      }
    }
  }
}
