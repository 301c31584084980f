package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.protocol.Json;
import io.cmws.tasks.TasksConfig;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tasks over the wire: a scripted claude-mem worker, submitters, events, limits. */
class TaskFlowIT {

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String submit(RawClient client, String body) throws Exception {
    return client
        .send("{\"type\":\"task:submit\"," + body + "}")
        .expect("task:submitted")
        .get("taskId")
        .asText();
  }

  @Test
  void claudeMemWorkerDialogue() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient watcher = hub.subscriber("task:*");
        RawClient submitter = hub.subscriber();
        RawClient worker = RawClient.connect(hub.url())) {
      // exactly the reference worker: no auth on loopback, register, heartbeat (reference-protocol
      // §2.4)
      worker.expect("connection:pending");
      String workerId = // the reference worker keeps the id `registered` gives it
          worker
              .send(
                  "{\"type\":\"register\",\"capabilities\":[\"observation:mistral\",\"summarize:mistral\"],"
                      + "\"metadata\":{\"version\":\"3.0.4\",\"hostname\":\"h\"}}")
              .expect("registered")
              .get("workerId")
              .asText();
      worker
          .send("{\"type\":\"heartbeat\",\"workerId\":\"" + workerId + "\",\"currentTasks\":[]}")
          .expect("heartbeat:ack");

      String taskId =
          submit(
              submitter,
              "\"taskType\":\"observation\",\"capability\":\"observation:mistral\","
                  + "\"payload\":{\"sessionId\":\"S1\",\"toolName\":\"Read\"}");
      JsonNode assign = worker.expect("task:assign");
      assertEquals(List.of("type", "task", "capability"), fieldNames(assign));
      assertEquals(
          "observation", assign.get("capability").asText(), "the backend puts the task type here");
      JsonNode task = assign.get("task");
      assertEquals(taskId, task.get("id").asText());
      assertEquals("observation", task.get("type").asText());
      assertEquals(Json.parse("{\"sessionId\":\"S1\",\"toolName\":\"Read\"}"), task.get("payload"));
      assertEquals(
          List.of("id", "type", "payload", "attempt", "timeoutMs", "capability", "priority"),
          fieldNames(task),
          "the reference's three fields, then the documented extensions");

      worker.send(
          "{\"type\":\"task:progress\",\"taskId\":\""
              + taskId
              + "\",\"workerId\":\""
              + workerId
              + "\",\"progress\":50,\"message\":\"half\"}");
      worker.send(
          "{\"type\":\"task:complete\",\"taskId\":\""
              + taskId
              + "\",\"workerId\":\""
              + workerId
              + "\",\"result\":{\"title\":\"t\",\"text\":\"x\"},\"processingTimeMs\":12}");

      JsonNode queued = watcher.expect("event");
      assertEquals("task:queued", queued.get("channel").asText());
      assertEquals(
          Json.parse("{\"taskId\":\"" + taskId + "\",\"taskType\":\"observation\"}"),
          queued.get("data"));
      JsonNode assigned = watcher.expect("event");
      assertEquals("task:assigned", assigned.get("channel").asText());
      assertEquals(workerId, assigned.get("data").get("workerId").asText());
      assertEquals("observation", assigned.get("data").get("taskType").asText());
      JsonNode progress = watcher.expect("event");
      assertEquals("task:progress", progress.get("channel").asText());
      assertEquals(50, progress.get("data").get("progress").asInt());
      assertEquals("half", progress.get("data").get("message").asText());
      JsonNode completed = watcher.expect("event");
      assertEquals("task:completed", completed.get("channel").asText());
      assertEquals(taskId, completed.get("data").get("taskId").asText());

      JsonNode info =
          submitter
              .send("{\"type\":\"task:get\",\"taskId\":\"" + taskId + "\",\"id\":\"q\"}")
              .expect("task:info");
      assertEquals("q", info.get("id").asText());
      assertEquals("completed", info.get("task").get("state").asText());
      assertEquals("t", info.get("task").get("result").get("title").asText());

      String metrics = hub.get("/metrics");
      assertTrue(metrics.contains("cmws_workers 1\n"), metrics);
      assertTrue(metrics.contains("cmws_tasks_total{outcome=\"completed\"} 1\n"), metrics);
      assertTrue(metrics.contains("cmws_tasks_total{outcome=\"submitted\"} 1\n"), metrics);
      assertTrue(metrics.contains("cmws_tasks_waiting 0\n"), metrics);
    }
  }

  @Test
  void idsSayWhatTheyAre() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient cli = RawClient.greeted(hub.url());
        RawClient browser = RawClient.greeted(hub.url());
        RawClient page = RawClient.connect(hub.url(), Map.of("Origin", "http://localhost:5173"));
        RawClient named = RawClient.greeted(hub.url());
        RawClient plain = RawClient.greeted(hub.url())) {
      String id = "-\\d+-[0-9a-z]+";
      cli.send("{\"type\":\"auth\",\"clientType\":\"browser\",\"agent\":\"cmws-cli\"}");
      assertMatches("cli" + id, cli.expect("auth:success").get("clientId").asText());
      browser.send("{\"type\":\"auth\",\"clientType\":\"browser\"}");
      assertMatches("browser" + id, browser.expect("auth:success").get("clientId").asText());
      page.expect("connection:pending");
      page.send("{\"type\":\"auth\",\"clientType\":\"browser\",\"agent\":\"cmws-cli\"}");
      assertMatches( // a page saying it is the CLI is still a page
          "browser" + id, page.expect("auth:success").get("clientId").asText());
      named.send(
          "{\"type\":\"register\",\"capabilities\":[\"a\"],\"metadata\":{\"name\":\"gpu-box\"}}");
      assertMatches("gpu-box" + id, named.expect("registered").get("workerId").asText());
      plain.send(
          "{\"type\":\"register\",\"capabilities\":[\"a\"],\"metadata\":{\"name\":\"../x\"}}");
      assertMatches("worker" + id, plain.expect("registered").get("workerId").asText());
    }
  }

  private static void assertMatches(String regex, String actual) {
    assertTrue(actual.matches(regex), actual + " does not match " + regex);
  }

  @Test
  void aTaskForAnAbsentCapabilityWaitsUntilAWorkerHasIt() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber()) {
      submitter
          .send("{\"type\":\"task:submit\",\"taskType\":\"rare\",\"payload\":1,\"watch\":true}")
          .expect("task:submitted");
      JsonNode list =
          submitter.send("{\"type\":\"task:list\",\"state\":\"pending\"}").expect("task:listed");
      assertEquals(1, list.get("tasks").size());
      try (RawClient worker = RawClient.greeted(hub.url())) {
        worker.send("{\"type\":\"register\",\"capabilities\":[\"rare\"]}").expect("registered");
        JsonNode assign = worker.expect("task:assign");
        String id = assign.get("task").get("id").asText();
        worker.send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"done\"}");
        JsonNode result = submitter.expect("task:result");
        assertEquals("completed", result.get("state").asText());
        assertEquals("done", result.get("result").asText());
      }
    }
  }

  @Test
  void refusesSubmissionsAboveTheQueueLimit() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c -> c.withHub(c.hub().withTasks(TasksConfig.standard().withMaxWaiting(3))));
        RawClient submitter = hub.subscriber()) {
      for (int i = 0; i < 3; i++) {
        submit(submitter, "\"taskType\":\"t\",\"payload\":" + i);
      }
      JsonNode refused =
          submitter
              .send("{\"type\":\"task:submit\",\"taskType\":\"t\",\"payload\":3,\"id\":\"r4\"}")
              .expect("error");
      assertEquals("queue_full", refused.get("code").asText());
      assertTrue(
          refused.get("message").asText().contains("3 tasks are waiting"), refused.toString());
      assertEquals(
          3,
          submitter.send("{\"type\":\"task:list\"}").expect("task:listed").get("tasks").size(),
          "nothing was dropped or added");
    }
  }

  @Test
  void workerReportsAreCheckedForOwnership() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber();
        RawClient holder = RawClient.greeted(hub.url());
        RawClient intruder = RawClient.greeted(hub.url())) {
      holder.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
      intruder.send("{\"type\":\"register\",\"capabilities\":[\"b\"]}").expect("registered");
      String id = submit(submitter, "\"taskType\":\"a\",\"payload\":null");
      holder.expect("task:assign");
      JsonNode refused =
          intruder
              .send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"forged\"}")
              .expect("error");
      assertEquals("not_owner", refused.get("code").asText());
      holder.send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"real\"}");
      JsonNode late =
          holder
              .send("{\"type\":\"task:complete\",\"taskId\":\"" + id + "\",\"result\":\"dup\"}")
              .expect("error");
      assertEquals("not_owner", late.get("code").asText());
      JsonNode task =
          submitter
              .send("{\"type\":\"task:get\",\"taskId\":\"" + id + "\"}")
              .expect("task:info")
              .get("task");
      assertEquals("real", task.get("result").asText());
    }
  }

  @Test
  void rejectsBadSubmissionsClearly() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber()) {
      assertEquals(
          "bad_frame",
          submitter.send("{\"type\":\"task:submit\"}").expect("error").get("code").asText());
      JsonNode badType =
          submitter.send("{\"type\":\"task:submit\",\"taskType\":\"has space\"}").expect("error");
      assertTrue(
          badType.get("message").asText().startsWith("task type must be"), badType.toString());
      JsonNode badRetries =
          submitter
              .send("{\"type\":\"task:submit\",\"taskType\":\"t\",\"maxRetries\":0}")
              .expect("error");
      assertTrue(badRetries.get("message").asText().contains("maxRetries"), badRetries.toString());
      assertEquals(
          "not_found",
          submitter
              .send("{\"type\":\"task:get\",\"taskId\":\"nope\"}")
              .expect("error")
              .get("code")
              .asText());
      JsonNode badState =
          submitter.send("{\"type\":\"task:list\",\"state\":\"done\"}").expect("error");
      assertTrue(
          badState.get("message").asText().contains("unknown task state"), badState.toString());
    }
  }
}
