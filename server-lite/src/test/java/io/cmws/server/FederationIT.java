package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.HubConfig;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.tasks.FederationPolicy;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * claude-mem's standalone hub federating into {@code cmws serve} on {@code /ws/hub}, scripted frame
 * by frame as reference-protocol §6.2 and §6.6 describe it, and a cmws hub doing the same on {@code
 * /ws} as client type {@code hub}.
 */
@Timeout(30)
class FederationIT {

  private static URI federation(TestHub hub) {
    return URI.create(hub.url() + "/hub");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** A claude-mem standalone hub as it introduces itself with no hub token configured. */
  private static RawClient registered(TestHub hub, String name) throws Exception {
    RawClient hubLink = RawClient.connect(federation(hub));
    hubLink.send("{\"type\":\"auth\",\"token\":\"anything\"}");
    hubLink.send(
        "{\"type\":\"hub:register\",\"name\":\""
            + name
            + "\",\"region\":\"us\",\"labels\":{\"a\":\"b\"},\"capabilities\":[]}");
    assertEquals(List.of("type"), fieldNames(hubLink.expect("hub:auth:success")));
    return hubLink;
  }

  private static void health(RawClient hubLink, int connected, int active, String capability)
      throws Exception {
    hubLink
        .send(
            "{\"type\":\"hub:health\",\"status\":\"healthy\",\"connectedWorkers\":"
                + connected
                + ",\"activeWorkers\":"
                + active
                + ",\"avgLatencyMs\":10,\"capabilities\":[\""
                + capability
                + "\"]}")
        .expect("hub:heartbeat:ack");
  }

  private static String submit(RawClient client, String capability) throws Exception {
    return client
        .send(
            "{\"type\":\"task:submit\",\"taskType\":\"observation\",\"capability\":\""
                + capability
                + "\",\"payload\":{\"sessionId\":\"S1\"}}")
        .expect("task:submitted")
        .get("taskId")
        .asText();
  }

  private static JsonNode task(RawClient client, String taskId) throws Exception {
    return client
        .send("{\"type\":\"task:get\",\"taskId\":\"" + taskId + "\"}")
        .expect("task:info")
        .get("task");
  }

  @Test
  void aClaudeMemHubRegistersReportsHealthAndRunsATaskEndToEnd() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient watcher = hub.subscriber("hub:*", "task:*");
        RawClient submitter = hub.subscriber();
        RawClient hubLink = registered(hub, "gpu-box")) {
      JsonNode registered = hubLink.expect("hub:registered");
      assertEquals(List.of("type", "hubId"), fieldNames(registered));
      String hubId = registered.get("hubId").asText();
      UUID.fromString(hubId); // a UUID, new per registration, as in the reference
      JsonNode connected = watcher.expect("event");
      assertEquals("hub:connected", connected.get("channel").asText());
      assertEquals(hubId, connected.get("data").get("hubId").asText());
      assertEquals("gpu-box", connected.get("data").get("name").asText());

      // claude-mem's hub sends its real capabilities only with hub:health
      health(hubLink, 2, 0, "observation:mistral");
      String taskId = submit(submitter, "observation:mistral");
      JsonNode assign = hubLink.expect("hub:task:assign");
      assertEquals(taskId, assign.get("taskId").asText());
      assertEquals("observation", assign.get("taskType").asText());
      assertEquals("observation:mistral", assign.get("capability").asText(), "a real capability");
      assertEquals("S1", assign.get("payload").get("sessionId").asText());
      assertFalse(assign.has("task"), "flat, not nested under task");

      hubLink.send(
          "{\"type\":\"hub:task:progress\",\"taskId\":\"" + taskId + "\",\"progress\":50}");
      hubLink.send(
          "{\"type\":\"hub:task:complete\",\"taskId\":\""
              + taskId
              + "\",\"result\":{\"title\":\"t\",\"text\":\"x\"},\"processingTimeMs\":12}");
      List<String> channels = new ArrayList<>();
      for (JsonNode event = watcher.expect("event");
          !event.get("channel").asText().equals("task:completed");
          event = watcher.expect("event")) {
        channels.add(event.get("channel").asText());
      }
      assertTrue(
          channels.contains("task:assigned") && channels.contains("task:progress"),
          channels.toString());
      JsonNode done = task(submitter, taskId);
      assertEquals("completed", done.get("state").asText());
      assertEquals("gpu-box", done.get("hub").asText());
      assertEquals("hub:gpu-box", done.get("workerId").asText());

      hubLink.send("{\"type\":\"auth\"}");
      RawClient.Close close = hubLink.awaitClose();
      assertEquals(4002, close.code());
      assertEquals("Unexpected auth message", close.reason());
      JsonNode gone = watcher.expect("event");
      assertEquals("hub:disconnected", gone.get("channel").asText());
      assertEquals(hubId, gone.get("data").get("hubId").asText());
    }
  }

  @Test
  void noWorkerAvailableCostsNoAttemptAndTheTaskRunsElsewhere() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber();
        RawClient hubLink = registered(hub, "edge");
        RawClient worker = RawClient.greeted(hub.url())) {
      hubLink.expect("hub:registered");
      health(hubLink, 1, 0, "resize");
      String taskId = submit(submitter, "resize");
      hubLink.expect("hub:task:assign");
      // the reference's standalone hub answers at once when it has no idle worker (§6.6)
      hubLink.send(
          "{\"type\":\"hub:task:error\",\"taskId\":\""
              + taskId
              + "\",\"error\":\"No worker available for resize\",\"retryable\":true}");
      worker.send("{\"type\":\"register\",\"capabilities\":[\"resize\"]}").expect("registered");
      JsonNode assign = worker.expect("task:assign");
      assertEquals(taskId, assign.get("task").get("id").asText());
      assertEquals(
          1, assign.get("task").get("attempt").asInt(), "the declined attempt did not count");
    }
  }

  @Test
  void aCancelReachesTheHubAndALateResultIsRefused() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber();
        RawClient hubLink = registered(hub, "edge")) {
      hubLink.expect("hub:registered");
      health(hubLink, 1, 0, "resize");
      String taskId = submit(submitter, "resize");
      hubLink.expect("hub:task:assign");
      submitter
          .send("{\"type\":\"task:cancel\",\"taskId\":\"" + taskId + "\",\"reason\":\"no need\"}")
          .expect("task:info");
      JsonNode cancel = hubLink.expect("hub:task:cancel");
      assertEquals(taskId, cancel.get("taskId").asText());
      assertEquals("no need", cancel.get("reason").asText());
      assertEquals("cancelled", task(submitter, taskId).get("state").asText());
    }
  }

  @Test
  void withTokensAHubNeedsOneThatHoldsFederate() throws Exception {
    TokenRegistry tokens =
        new TokenRegistry(
            List.of(
                TokenSpec.parse("gpu=gpu-secret:federate,subscribe,broadcast"),
                TokenSpec.parse("reader=read-secret:subscribe")));
    try (TestHub hub =
        TestHub.start(c -> c.withHub(c.hub().withAccess(new AccessPolicy(tokens, false))))) {
      try (RawClient wrong = RawClient.connect(federation(hub))) {
        JsonNode failed =
            wrong.send("{\"type\":\"auth\",\"token\":\"nope\"}").expect("hub:auth:failed");
        assertEquals("Invalid token", failed.get("reason").asText());
        RawClient.Close close = wrong.awaitClose();
        assertEquals(4003, close.code());
        assertEquals("Invalid token", close.reason());
      }
      try (RawClient reader = RawClient.connect(federation(hub))) {
        reader.send("{\"type\":\"auth\",\"token\":\"read-secret\"}").expect("hub:auth:failed");
        assertEquals(4003, reader.awaitClose().code(), "a token without federate");
      }
      try (RawClient early = RawClient.connect(federation(hub))) {
        early.send("{\"type\":\"hub:register\",\"name\":\"x\"}");
        RawClient.Close close = early.awaitClose();
        assertEquals(4004, close.code());
        assertEquals("Authentication required", close.reason());
      }
      try (RawClient good = RawClient.connect(federation(hub))) {
        good.send("{\"type\":\"auth\",\"token\":\"gpu-secret\"}").expect("hub:auth:success");
        good.send("{\"type\":\"hub:register\",\"name\":\"gpu\"}").expect("hub:registered");
      }
    }
  }

  @Test
  void aHubWithoutHealthReportsIsClosedWith4005AndOneThatNeverRegistersWith4001() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub()
                            .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(5))
                            .withPreAuthTimeout(Duration.ofMillis(500))
                            .withFederation(
                                new HubConfig.Federation(
                                    FederationPolicy.standard(), Duration.ofSeconds(1)))));
        RawClient watcher = hub.subscriber("hub:*");
        RawClient silent = RawClient.connect(federation(hub));
        RawClient quiet = registered(hub, "quiet")) {
      RawClient.Close never = silent.awaitClose();
      assertEquals(4001, never.code());
      assertEquals("Authentication timeout", never.reason());
      quiet.expect("hub:registered");
      RawClient.Close timeout = quiet.awaitClose();
      assertEquals(4005, timeout.code());
      assertEquals("Health timeout", timeout.reason());
      assertEquals("hub:connected", watcher.expect("event").get("channel").asText());
      assertEquals("hub:disconnected", watcher.expect("event").get("channel").asText());
    }
  }

  @Test
  void hubShutdownClosesWith1000AndTheHubsShutdownSaysBackendShutdown() throws Exception {
    TestHub hub = TestHub.start();
    try (RawClient leaving = registered(hub, "leaving");
        RawClient staying = registered(hub, "staying")) {
      leaving.expect("hub:registered");
      staying.expect("hub:registered");
      leaving.send("{\"type\":\"hub:shutdown\",\"reason\":\"maintenance\"}");
      RawClient.Close bye = leaving.awaitClose();
      assertEquals(1000, bye.code());
      assertEquals("Hub shutdown", bye.reason());
      hub.close();
      assertEquals("backend:shutdown", staying.expect("backend:shutdown").get("type").asText());
      RawClient.Close close = staying.awaitClose();
      assertEquals(1001, close.code());
      assertEquals("Backend shutdown", close.reason());
    }
  }

  @Test
  void aCmwsHubJoinsOnTheUnifiedSocketAndMayAlsoSubscribeAndPublish() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient submitter = hub.subscriber();
        RawClient watcher = hub.subscriber("task:completed");
        RawClient child = RawClient.greeted(hub.url())) {
      JsonNode success =
          child.send("{\"type\":\"auth\",\"clientType\":\"hub\"}").expect("auth:success");
      assertTrue(success.get("permissions").toString().contains("federate"), success.toString());
      child
          .send(
              "{\"type\":\"hub:register\",\"name\":\"child\",\"capabilities\":[\"resize\"],"
                  + "\"freeSlots\":2}")
          .expect("hub:registered");
      child.send("{\"type\":\"subscribe\",\"channels\":[\"demo:*\"]}").expect("subscribed");
      child.send("{\"type\":\"publish\",\"channel\":\"demo:x\",\"data\":1}").expect("event");
      child.expect("published");
      String taskId = submit(submitter, "resize");
      JsonNode assign = child.expect("hub:task:assign");
      assertEquals(taskId, assign.get("taskId").asText());
      assertEquals(1, assign.get("attempt").asInt());
      child.send(
          "{\"type\":\"hub:task:complete\",\"taskId\":\""
              + taskId
              + "\",\"attempt\":1,\"workerId\":\"worker-7\",\"result\":4}");
      JsonNode completed = watcher.expect("event");
      assertEquals("child", completed.get("data").get("hub").asText(), "events name the hub");
      JsonNode done = task(submitter, taskId);
      assertEquals("completed", done.get("state").asText());
      assertEquals("child", done.get("hub").asText());
      assertEquals("hub:child/worker-7", done.get("workerId").asText());

      try (RawClient browser = hub.subscriber()) {
        JsonNode refused =
            browser.send("{\"type\":\"hub:register\",\"name\":\"x\"}").expect("error");
        assertEquals("not_a_hub", refused.get("code").asText());
      }
    }
  }
}
