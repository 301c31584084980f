package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.redis.RedisSettings;
import io.cmws.redis.RedisUnavailableException;
import io.cmws.tasks.RetryPolicy;
import io.cmws.tasks.TaskDefaults;
import io.cmws.testing.RawClient;
import io.cmws.testing.RedisServer;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The task queue shared by several hubs through a real Redis. */
@Timeout(60)
class RedisTasksIT {

  private static TestHub hub(RedisSettings redis) throws IOException {
    return TestHub.start(c -> c.withRedis(redis));
  }

  private static String submit(RawClient client, String body) throws Exception {
    return client
        .send("{\"type\":\"task:submit\"," + body + "}")
        .expect("task:submitted")
        .get("taskId")
        .asText();
  }

  /** A scripted claude-mem worker: register, then answer what it is told. */
  private static RawClient worker(TestHub hub, String capabilities, int concurrency)
      throws Exception {
    RawClient worker = RawClient.connect(hub.url());
    worker.expect("connection:pending");
    worker
        .send(
            "{\"type\":\"register\",\"capabilities\":["
                + capabilities
                + "],\"metadata\":{\"concurrency\":"
                + concurrency
                + "}}")
        .expect("registered");
    return worker;
  }

  private static void complete(RawClient worker, String taskId, String result) {
    worker.send(
        "{\"type\":\"task:complete\",\"taskId\":\"" + taskId + "\",\"result\":" + result + "}");
  }

  @Test
  void aWorkerOnHubTwoRunsATaskSubmittedOnHubOneAndTheSubmitterGetsTheResult() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        RawClient submitter = one.subscriber();
        RawClient worker = worker(two, "\"echo\"", 1)) {
      String id = submit(submitter, "\"taskType\":\"echo\",\"payload\":{\"x\":[]},\"watch\":true");
      JsonNode assign = worker.expect("task:assign");
      assertEquals(id, assign.get("task").get("id").asText());
      assertEquals(
          "{\"x\":[]}",
          assign.get("task").get("payload").toString(),
          "payload exactly as submitted");
      assertEquals(1, assign.get("task").get("attempt").asInt());
      complete(worker, id, "{\"ok\":true,\"list\":[]}");
      JsonNode result = submitter.expect("task:result");
      assertEquals(id, result.get("taskId").asText());
      assertEquals("completed", result.get("state").asText());
      assertEquals("{\"ok\":true,\"list\":[]}", result.get("result").toString());
      JsonNode info =
          submitter.send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}").expect("task:info");
      assertEquals("completed", info.get("task").get("state").asText());
    }
  }

  @Test
  void prioritiesAndFallbacksHoldAcrossHubs() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        RawClient submitter = one.subscriber()) {
      String low = submit(submitter, "\"taskType\":\"job\",\"priority\":10");
      String high = submit(submitter, "\"taskType\":\"job\",\"priority\":90");
      String mid = submit(submitter, "\"taskType\":\"job\",\"priority\":50");
      String fallback =
          submit(
              submitter,
              "\"taskType\":\"rare\",\"fallbackCapabilities\":[\"job\"],\"priority\":70");
      try (RawClient worker = worker(two, "\"job\"", 1)) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String id = worker.expect("task:assign").get("task").get("id").asText();
          order.add(id);
          complete(worker, id, "1");
        }
        assertEquals(
            List.of(high, fallback, mid, low),
            order,
            "priority first; a fallback capability counts");
      }
    }
  }

  @Test
  void cancellingOnOneHubStopsTheWorkerOnAnother() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        RawClient submitter = one.subscriber();
        RawClient worker = worker(two, "\"slow\"", 1)) {
      String id = submit(submitter, "\"taskType\":\"slow\"");
      assertEquals(id, worker.expect("task:assign").get("task").get("id").asText());
      JsonNode cancelled =
          submitter
              .send(
                  "{\"type\":\"task:cancel\",\"taskId\":\""
                      + id
                      + "\",\"reason\":\"no longer needed\"}")
              .expect("task:info");
      assertEquals("cancelled", cancelled.get("task").get("state").asText());
      JsonNode stop = worker.expect("task:cancel");
      assertEquals(id, stop.get("taskId").asText());
      assertEquals("no longer needed", stop.get("reason").asText());
      String next = submit(submitter, "\"taskType\":\"slow\"");
      assertEquals(
          next, worker.expect("task:assign").get("task").get("id").asText(), "the slot was freed");
    }
  }

  @Test
  void aWorkerThatDisconnectsLosesItsTaskToAWorkerOnAnotherHub() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one = hub(redis);
        TestHub two = hub(redis);
        RawClient submitter = one.subscriber()) {
      RawClient first = worker(one, "\"t\"", 1);
      String id = submit(submitter, "\"taskType\":\"t\",\"watch\":true");
      assertEquals(id, first.expect("task:assign").get("task").get("id").asText());
      try (RawClient second = worker(two, "\"t\"", 1)) {
        first.close();
        JsonNode again = second.expect("task:assign");
        assertEquals(id, again.get("task").get("id").asText());
        assertEquals(2, again.get("task").get("attempt").asInt());
        complete(second, id, "\"done\"");
        JsonNode result = submitter.expect("task:result");
        assertEquals("completed", result.get("state").asText());
        assertEquals(2, result.get("attempt").asInt());
      }
    }
  }

  @Test
  void failedAttemptsAreRetriedWithBackoffThenDeadLetteredAcrossHubs() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    TaskDefaults quickRetries =
        new TaskDefaults(
            new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0), Map.of());
    try (TestHub one =
            TestHub.start(
                c ->
                    c.withRedis(redis)
                        .withHub(c.hub().withTasks(c.hub().tasks().withDefaults(quickRetries))));
        TestHub two =
            TestHub.start(
                c ->
                    c.withRedis(redis)
                        .withHub(c.hub().withTasks(c.hub().tasks().withDefaults(quickRetries))));
        RawClient submitter = one.subscriber();
        RawClient worker = worker(two, "\"flaky\"", 1)) {
      String id = submit(submitter, "\"taskType\":\"flaky\",\"maxRetries\":3,\"watch\":true");
      for (int attempt = 1; attempt <= 3; attempt++) {
        JsonNode assign = worker.expect("task:assign");
        assertEquals(attempt, assign.get("task").get("attempt").asInt());
        worker.send(
            "{\"type\":\"task:error\",\"taskId\":\""
                + id
                + "\",\"error\":\"boom "
                + attempt
                + "\"}");
      }
      JsonNode result = submitter.expect("task:result");
      assertEquals(
          "failed", result.get("state").asText(), "dead-lettered after its three attempts");
      assertEquals("boom 3", result.get("error").asText());
      String fatal = submit(submitter, "\"taskType\":\"flaky\",\"maxRetries\":3,\"watch\":true");
      worker.expect("task:assign");
      worker.send(
          "{\"type\":\"task:error\",\"taskId\":\""
              + fatal
              + "\",\"error\":\"bad input\",\"retryable\":false}");
      assertEquals(
          "failed",
          submitter.expect("task:result").get("state").asText(),
          "not retryable: no retry");
    }
  }

  @Test
  void aPasswordInTheUrlIsUsed(@TempDir Path dir) throws Exception {
    try (RedisServer locked = RedisServer.start(dir, "--requirepass", "s3cret")) {
      URI withPassword = URI.create("redis://:s3cret@127.0.0.1:" + locked.url().getPort());
      RedisSettings redis = new RedisSettings(withPassword, "pw");
      try (TestHub one = hub(redis);
          TestHub two = hub(redis);
          RawClient sub = one.subscriber("pw:*");
          RawClient pub = two.subscriber()) {
        pub.send("{\"type\":\"publish\",\"channel\":\"pw:x\",\"data\":1}").expect("published");
        assertEquals("pw:x", sub.expect("event").get("channel").asText());
      }
      RedisSettings wrong =
          new RedisSettings(URI.create("redis://:nope@127.0.0.1:" + locked.url().getPort()), "pw");
      RedisUnavailableException refused =
          assertThrows(RedisUnavailableException.class, () -> hub(wrong));
      assertTrue(
          refused.getMessage().contains("redis://127.0.0.1:" + locked.url().getPort()),
          refused.getMessage());
      assertFalse(
          refused.getMessage().contains("nope"),
          "the password is never shown: " + refused.getMessage());
    }
  }

  @Test
  void deduplicationAndTheWaitingLimitAreShared() throws Exception {
    RedisSettings redis = RedisServer.shared().settings();
    try (TestHub one =
            TestHub.start(
                c ->
                    c.withRedis(redis)
                        .withHub(c.hub().withTasks(c.hub().tasks().withMaxWaiting(2))));
        TestHub two =
            TestHub.start(
                c ->
                    c.withRedis(redis)
                        .withHub(c.hub().withTasks(c.hub().tasks().withMaxWaiting(2))));
        RawClient a = one.subscriber();
        RawClient b = two.subscriber()) {
      String first = submit(a, "\"taskType\":\"d\",\"deduplicationKey\":\"k1\"");
      JsonNode again =
          b.send("{\"type\":\"task:submit\",\"taskType\":\"d\",\"deduplicationKey\":\"k1\"}")
              .expect("task:submitted");
      assertEquals(first, again.get("taskId").asText());
      assertTrue(again.get("deduplicated").asBoolean());
      submit(b, "\"taskType\":\"d\"");
      JsonNode refused = a.send("{\"type\":\"task:submit\",\"taskType\":\"d\"}").expect("error");
      assertEquals("queue_full", refused.get("code").asText(), refused.toString());
    }
  }
}
