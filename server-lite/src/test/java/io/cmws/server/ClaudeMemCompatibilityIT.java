package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dialogues of reference-protocol §2-§4, replayed against a real hub, field by field. */
class ClaudeMemCompatibilityIT {

  private static List<String> fieldNames(JsonNode frame) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = frame.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  @Test
  void browserDialogue() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient browser = RawClient.connect(hub.url());
        RawClient publisher = hub.subscriber()) {
      JsonNode pending = browser.expect("connection:pending");
      assertTrue(
          pending.get("clientId").asText().matches("pending-\\d+-\\d{13}"), pending.toString());
      assertFalse(pending.get("requiresAuth").asBoolean());
      assertEquals("cmws", pending.get("server").asText());
      assertEquals(1, pending.get("protocol").asInt());

      JsonNode success = browser.send("{\"type\":\"auth\"}").expect("auth:success");
      assertEquals(List.of("type", "clientId", "permissions"), fieldNames(success));
      assertTrue(
          success.get("clientId").asText().matches("browser-\\d+-[0-9a-z]+"), success.toString());
      assertEquals(
          List.of("subscribe", "broadcast", "task:submit", "admin"),
          texts(success.get("permissions")));

      JsonNode subscribed =
          browser
              .send(
                  "{\"type\":\"subscribe\",\"channels\":[\"session:*\",\"task:completed\",\"*\"]}")
              .expect("subscribed");
      assertEquals(List.of("type", "channels"), fieldNames(subscribed));
      assertEquals(List.of("session:*", "task:completed", "*"), texts(subscribed.get("channels")));
      JsonNode again =
          browser.send("{\"type\":\"subscribe\",\"channels\":[\"*\"]}").expect("subscribed");
      assertEquals(List.of(), texts(again.get("channels")), "already-held patterns are omitted");

      publisher
          .send(
              "{\"type\":\"publish\",\"channel\":\"session:started\","
                  + "\"data\":{\"sessionId\":\"S1\",\"project\":\"p\"}}")
          .expect("published");
      JsonNode event = browser.expect("event");
      assertEquals(
          List.of("type", "channel", "data", "timestamp", "seq", "pattern"), fieldNames(event));
      assertEquals("session:started", event.get("channel").asText());
      assertEquals(Json.parse("{\"sessionId\":\"S1\",\"project\":\"p\"}"), event.get("data"));
      assertTrue(event.get("timestamp").isIntegralNumber());
      assertTrue(Math.abs(System.currentTimeMillis() - event.get("timestamp").asLong()) < 60_000);
      assertEquals(1, event.get("seq").asLong());

      // matched by 'session:*' and '*', delivered once: the next frame is the next event
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"task:completed\",\"data\":{\"taskId\":\"T\"}}")
          .expect("published");
      assertEquals("task:completed", browser.expect("event").get("channel").asText());
      assertEquals(0, browser.pending());
    }
  }

  @Test
  void answersJsonPingAndPong() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub().withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(20))));
        RawClient browser = hub.subscriber()) {
      assertEquals("{\"type\":\"ping\"}", browser.next().toString());
      browser.send("{\"type\":\"pong\"}");
      JsonNode pong = browser.send("{\"type\":\"ping\"}").expect("pong");
      assertEquals("{\"type\":\"pong\"}", pong.toString());
      JsonNode ack = browser.send("{\"type\":\"heartbeat\"}").expect("heartbeat:ack");
      assertTrue(ack.get("serverTime").isIntegralNumber());
    }
  }

  @Test
  void sseWriterIsAutoSubscribedAndFiltered() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient writer = RawClient.greeted(hub.url());
        RawClient publisher = hub.subscriber()) {
      writer.send(
          "{\"type\":\"auth\",\"clientType\":\"sse-writer\",\"sessionId\":\"S1\","
              + "\"project\":\"p\",\"workingDirectory\":\"/w\"}");
      JsonNode success = writer.expect("auth:success");
      assertTrue(
          success.get("clientId").asText().matches("sse-writer-\\d+-[0-9a-z]+"),
          success.toString());
      assertEquals(
          List.of("subscribe", "broadcast", "task:submit", "admin"),
          texts(success.get("permissions")));
      JsonNode subscribed = writer.expect("subscribed");
      assertEquals(
          List.of("claudemd:*", "writer:*", "session:*"), texts(subscribed.get("channels")));
      writer.send("{\"type\":\"subscribe\",\"channels\":[\"task:*\"]}").expect("subscribed");

      String[][] events = {
        {"session:started", "{\"sessionId\":\"S2\",\"project\":\"p\"}"},
        {"claudemd:ready", "{\"contentSessionId\":\"S1\",\"project\":\"other\",\"content\":\"x\"}"},
        {"task:queued", "{\"taskId\":\"T\",\"sessionId\":\"S1\"}"},
        {"claudemd:other", "{\"contentSessionId\":\"S1\",\"project\":\"p\"}"},
        {"session:started", "\"not an object\""},
        {"writer:pause", "{\"sessionId\":\"S1\",\"reason\":\"git-operation\"}"},
        {"session:plan-mode-entered", "{\"sessionId\":\"S1\",\"project\":\"p\"}"},
        {"claudemd:ready", "{\"contentSessionId\":\"S1\",\"project\":\"p\",\"content\":\"c\"}"},
        {"writer:resume", "{\"sessionId\":\"S2\"}"},
        {"session:ended", "{\"sessionId\":\"S1\"}"},
      };
      for (String[] e : events) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"" + e[0] + "\",\"data\":" + e[1] + "}")
            .expect("published");
      }
      assertEquals("writer:pause", writer.expect("event").get("channel").asText());
      assertEquals("session:plan-mode-entered", writer.expect("event").get("channel").asText());
      JsonNode ready = writer.expect("event");
      assertEquals("claudemd:ready", ready.get("channel").asText());
      assertEquals("c", ready.get("data").get("content").asText());
      assertEquals("session:ended", writer.expect("event").get("channel").asText());
      assertEquals(0, writer.pending());
    }
  }

  @Test
  void workerRegistersAndHeartbeats() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient watcher = hub.subscriber("worker:*");
        RawClient worker = RawClient.connect(hub.url())) {
      String pendingId = worker.expect("connection:pending").get("clientId").asText();
      worker.send(
          "{\"type\":\"register\",\"capabilities\":[\"observation:mistral\",\"summarize:mistral\"],"
              + "\"metadata\":{\"version\":\"3.0.4\",\"hostname\":\"h\"}}");
      JsonNode registered = worker.expect("registered");
      assertEquals(List.of("type", "workerId", "assignedCapabilities"), fieldNames(registered));
      // claude-mem's backend keeps the pending id; its workers store whatever `registered` says
      // (reference-protocol §7.2), so a cmws hub names workers for what they are
      String workerId = registered.get("workerId").asText();
      assertTrue(workerId.matches("worker-\\d+-[0-9a-z]+"), workerId);
      assertTrue(!workerId.equals(pendingId));
      assertEquals(
          List.of("observation:mistral", "summarize:mistral"),
          texts(registered.get("assignedCapabilities")));

      JsonNode connected = watcher.expect("event");
      assertEquals("worker:connected", connected.get("channel").asText());
      assertEquals(workerId, connected.get("data").get("workerId").asText());
      assertEquals(
          List.of("observation:mistral", "summarize:mistral"),
          texts(connected.get("data").get("capabilities")));

      JsonNode ack =
          worker
              .send(
                  "{\"type\":\"heartbeat\",\"workerId\":\"" + workerId + "\",\"currentTasks\":[]}")
              .expect("heartbeat:ack");
      assertEquals(List.of("type", "serverTime"), fieldNames(ack));

      worker.send("{\"type\":\"register\",\"capabilities\":[\"x\"]}");
      assertEquals("already_authenticated", worker.expect("error").get("code").asText());

      worker.socket().close(); // the worker goes away
      JsonNode disconnected = watcher.expect("event");
      assertEquals("worker:disconnected", disconnected.get("channel").asText());
      assertEquals(workerId, disconnected.get("data").get("workerId").asText());
    }
  }

  private static TestHub hubWithToken() throws Exception {
    return TestHub.start(
        c ->
            c.withHub(
                c.hub()
                    .withAccess(
                        new AccessPolicy(
                            new TokenRegistry(
                                List.of(
                                    TokenSpec.parse(
                                        "workers=secret:subscribe,task:receive,task:complete"))),
                            false))));
  }

  @Test
  void workerAuthenticatesWithAToken() throws Exception {
    try (TestHub hub = hubWithToken();
        RawClient worker = RawClient.connect(hub.url())) {
      JsonNode pending = worker.expect("connection:pending");
      assertTrue(pending.get("requiresAuth").asBoolean(), "a token is configured");
      assertEquals(
          "{\"type\":\"auth:success\"}",
          worker
              .send("{\"type\":\"auth\",\"token\":\"secret\"}")
              .expect("auth:success")
              .toString());
      String workerId =
          worker
              .send("{\"type\":\"register\",\"capabilities\":[\"a\"]}")
              .expect("registered")
              .get("workerId")
              .asText();
      assertTrue(workerId.matches("worker-\\d+-[0-9a-z]+"), workerId);
    }
  }

  @Test
  void badTokenFailsWith4001() throws Exception {
    try (TestHub hub = hubWithToken();
        RawClient worker = RawClient.greeted(hub.url())) {
      JsonNode failed =
          worker.send("{\"type\":\"auth\",\"token\":\"wrong\"}").expect("auth:failed");
      assertEquals("{\"type\":\"auth:failed\",\"reason\":\"Invalid token\"}", failed.toString());
      assertEquals(new RawClient.Close(4001, "Unauthorized", true), worker.awaitClose());
    }
  }

  @Test
  void capabilitiesWithoutTokenAreRefusedWhenATokenIsConfigured() throws Exception {
    try (TestHub hub = hubWithToken();
        RawClient worker = RawClient.greeted(hub.url())) {
      worker.send("{\"type\":\"auth\",\"capabilities\":[\"a\"]}");
      assertEquals("Invalid token", worker.expect("auth:failed").get("reason").asText());
      assertEquals(4001, worker.awaitClose().code());
    }
  }

  @Test
  void localRegisterWithoutAuthIsToldToAuthenticateAndStaysOpen() throws Exception {
    try (TestHub hub = hubWithToken();
        RawClient worker = RawClient.greeted(hub.url())) {
      JsonNode error =
          worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("error");
      assertEquals("Must authenticate before registering", error.get("message").asText());
      assertEquals(
          "{\"type\":\"auth:success\"}",
          worker
              .send("{\"type\":\"auth\",\"token\":\"secret\"}")
              .expect("auth:success")
              .toString());
      worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
    }
  }

  @Test
  void silentBrowserIsClosedWith4002() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(350))));
        RawClient browser = hub.subscriber()) {
      // never answers the pings
      assertEquals(new RawClient.Close(4002, "Heartbeat timeout", true), browser.awaitClose());
    }
  }

  @Test
  void workerThatOnlyAutoPongsIsClosedWith4002() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(350))));
        RawClient worker = RawClient.greeted(hub.url())) {
      worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
      // Java-WebSocket answers the hub's ping frames automatically; that is not a heartbeat
      assertEquals(new RawClient.Close(4002, "Heartbeat timeout", true), worker.awaitClose());
    }
  }

  @Test
  void heartbeatingWorkerStaysConnected() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub().withHeartbeat(Duration.ofMillis(50), Duration.ofMillis(400))));
        RawClient worker = RawClient.greeted(hub.url());
        RawClient probe = hub.subscriber()) {
      worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
      // eight heartbeats spaced by the probe's pings span more than the 400 ms timeout
      for (int i = 0; i < 8; i++) {
        probe.expect("ping");
        probe.send("{\"type\":\"pong\"}");
        worker
            .send("{\"type\":\"heartbeat\",\"workerId\":\"x\",\"currentTasks\":[]}")
            .expect("heartbeat:ack");
      }
      assertTrue(worker.isOpen());
    }
  }

  @Test
  void unauthenticatedConnectionIsClosedAfterThePreAuthTimeout() throws Exception {
    try (TestHub hub =
            TestHub.start(c -> c.withHub(c.hub().withPreAuthTimeout(Duration.ofMillis(200))));
        RawClient idle = RawClient.greeted(hub.url())) {
      assertEquals(new RawClient.Close(4001, "Authentication timeout", true), idle.awaitClose());
    }
  }

  @Test
  void shutdownClosesEveryClientWith1001() throws Exception {
    TestHub hub = TestHub.start();
    try (RawClient browser = hub.subscriber("*");
        RawClient worker = RawClient.greeted(hub.url())) {
      worker.send("{\"type\":\"register\",\"capabilities\":[\"a\"]}").expect("registered");
      hub.close();
      assertEquals(new RawClient.Close(1001, "Server shutting down", true), browser.awaitClose());
      assertEquals(new RawClient.Close(1001, "Server shutting down", true), worker.awaitClose());
    }
  }

  @Test
  void unknownPathIsRefusedInsteadOfHanging() throws Exception {
    try (TestHub hub = TestHub.start()) {
      URI wrong = URI.create(hub.url().toString().replace("/ws", "/ws/"));
      assertThrows(AssertionError.class, () -> RawClient.connect(wrong));
      URI withQuery = URI.create(hub.url() + "?x=1");
      try (RawClient ok = RawClient.greeted(withQuery)) {
        assertTrue(ok.isOpen(), "query strings are ignored, as in the reference");
      }
    }
  }

  @Test
  void secondAuthIsRefusedAndTheConnectionKeepsWorking() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient browser = hub.subscriber("a:*");
        RawClient publisher = hub.subscriber()) {
      JsonNode error = browser.send("{\"type\":\"auth\"}").expect("error");
      assertEquals("already_authenticated", error.get("code").asText());
      publisher.send("{\"type\":\"publish\",\"channel\":\"a:b\",\"data\":1}").expect("published");
      assertEquals("a:b", browser.expect("event").get("channel").asText());
    }
  }
}
