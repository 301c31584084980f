package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.cli.testing.ScriptedPeer;
import io.cmws.protocol.ClientFrame;
import io.cmws.protocol.Json;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code cmws worker} against peers that behave like the claude-mem backend (reference-protocol
 * §2.4: the pending id as worker id, {@code capability} carrying the task type) and the standalone
 * hub (§6.4: no greeting without a token, UUID worker ids, close 4005 without heartbeats).
 */
class WorkerCompatibilityIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static CmwsProcess worker(ScriptedPeer peer, String... extra) throws Exception {
    String[] base = {
      "worker",
      "--url",
      peer.url().toString(),
      "--capabilities",
      "observation:mistral,summarize:mistral",
      "--executor",
      "observation=echo",
      "--heartbeat-interval",
      "300ms",
      "--json"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CmwsProcess.start(all);
  }

  @Test
  void completesTasksFromAClaudeMemBackend() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend();
        CmwsProcess worker = worker(backend)) {
      ScriptedPeer.Peer peer = backend.accept();
      JsonNode register = peer.expect("register");
      assertEquals(
          "[\"observation:mistral\",\"summarize:mistral\"]",
          register.get("capabilities").toString());
      assertEquals("cmws", register.get("metadata").get("agent").asText());
      assertEquals(1, register.get("metadata").get("concurrency").asInt());
      assertTrue(register.get("metadata").has("hostname"));
      String name = register.get("metadata").get("name").asText(); // no --name: from the host
      assertTrue(ClientFrame.Register.isWorkerName(name), name);
      String workerId = "pending-1-1795655655658";
      peer.send(
          "{\"type\":\"registered\",\"workerId\":\""
              + workerId
              + "\","
              + "\"assignedCapabilities\":[\"observation:mistral\",\"summarize:mistral\"]}");
      JsonNode heartbeat = peer.expect("heartbeat", Duration.ofSeconds(3));
      assertEquals(workerId, heartbeat.get("workerId").asText());
      assertTrue(heartbeat.get("currentTasks").isArray());

      peer.send(
          "{\"type\":\"task:assign\",\"task\":{\"id\":\"T9\",\"type\":\"observation\","
              + "\"payload\":{\"sessionId\":\"S1\"}},\"capability\":\"observation\"}");
      JsonNode complete = peer.skipTo("task:complete");
      assertEquals("T9", complete.get("taskId").asText());
      assertEquals(workerId, complete.get("workerId").asText());
      assertEquals(Json.parse("{\"sessionId\":\"S1\"}"), complete.get("result"));
      assertTrue(complete.get("processingTimeMs").isIntegralNumber());
      // one attempt numbering (claude-mem sends none: the first) and one duration everywhere
      JsonNode started = Json.parse(worker.out.await("\"event\":\"started\"", WAIT));
      assertEquals(1, started.get("attempt").asInt(), started.toString());
      JsonNode completed = Json.parse(worker.out.await("\"event\":\"completed\"", WAIT));
      assertEquals(1, completed.get("attempt").asInt(), completed.toString());
      long millis = completed.get("durationMs").asLong();
      assertEquals(millis, complete.get("processingTimeMs").asLong());
      worker.err.await("task T9 completed in " + millis + " ms", WAIT);

      // one task at a time against the backend: an overlapping one is refused as the reference does
      peer.send(
          "{\"type\":\"task:assign\",\"task\":{\"id\":\"T10\",\"type\":\"summarize\",\"payload\":{}},"
              + "\"capability\":\"summarize\"}");
      JsonNode refused = peer.skipTo("task:error");
      assertEquals("T10", refused.get("taskId").asText());
      assertEquals(workerId, refused.get("workerId").asText());
      assertTrue(
          refused.get("retryable").asBoolean(), "no executor here, another worker may have one");
    }
  }

  /** Finding 1 of the UX issue: a clean stop put two "Unknown message type" warnings there. */
  @Test
  void aCleanStopSendsTheBackendNoFrameItDoesNotKnow() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend();
        CmwsProcess worker = worker(backend)) {
      ScriptedPeer.Peer peer = backend.accept();
      peer.expect("register");
      peer.send("{\"type\":\"registered\",\"workerId\":\"pending-1-1795655655658\"}");
      worker.err.await("registered as", WAIT);
      worker.terminate();
      List<String> sent = peer.typesUntilClosed();
      assertEquals(List.of(), sent, "neither drain nor shutdown: the backend knows neither");
      assertEquals(1000, peer.awaitClosed());
      assertEquals(0, worker.waitFor(WAIT));
    }
  }

  @Test
  void aCleanStopSaysShutdownButNotDrainToAStandaloneHub() throws Exception {
    try (ScriptedPeer hub = ScriptedPeer.start(peer -> {});
        CmwsProcess worker = worker(hub)) {
      ScriptedPeer.Peer peer = hub.accept();
      peer.expect("register");
      peer.send("{\"type\":\"registered\",\"workerId\":\"" + UUID.randomUUID() + "\"}");
      worker.err.await("registered as", WAIT);
      worker.terminate();
      assertEquals(List.of("shutdown"), peer.typesUntilClosed());
      assertEquals(0, worker.waitFor(WAIT));
    }
  }

  @Test
  void completesTasksFromAStandaloneHubAndHeartbeatsWithItsId() throws Exception {
    try (ScriptedPeer hub = ScriptedPeer.start(peer -> {});
        CmwsProcess worker = worker(hub)) {
      ScriptedPeer.Peer peer = hub.accept();
      peer.expect("register"); // no greeting, no auth: there is no token
      String workerId = UUID.randomUUID().toString();
      peer.send("{\"type\":\"registered\",\"workerId\":\"" + workerId + "\"}");
      // the standalone hub closes with 4005 when no heartbeat with the right id comes in time
      for (int i = 0; i < 3; i++) {
        assertEquals(
            workerId, peer.expect("heartbeat", Duration.ofSeconds(2)).get("workerId").asText());
      }
      peer.send(
          "{\"type\":\"task:assign\",\"task\":{\"id\":\"T1\",\"type\":\"observation\",\"payload\":\"p\"},"
              + "\"capability\":\"observation:mistral\"}");
      JsonNode complete = peer.skipTo("task:complete");
      assertEquals(workerId, complete.get("workerId").asText());
      assertEquals("p", complete.get("result").asText());

      peer.send("{\"type\":\"server:shutdown\"}");
      peer.close(1001, "Server shutdown");
      ScriptedPeer.Peer again = hub.accept();
      again.expect("register"); // reconnects and registers afresh
      again.send("{\"type\":\"registered\",\"workerId\":\"" + UUID.randomUUID() + "\"}");
      worker.err.await("registered as", WAIT);
    }
  }

  @Test
  void reconnectsAfterAHeartbeatTimeoutClose() throws Exception {
    try (ScriptedPeer hub = ScriptedPeer.start(peer -> {});
        CmwsProcess worker = worker(hub)) {
      ScriptedPeer.Peer peer = hub.accept();
      peer.expect("register");
      peer.send("{\"type\":\"registered\",\"workerId\":\"" + UUID.randomUUID() + "\"}");
      peer.close(4005, "Heartbeat timeout");
      hub.accept().expect("register");
      assertTrue(
          worker.err.await("closed (4005 Heartbeat timeout); reconnecting in", WAIT).length() > 0);
    }
  }

  @Test
  void authenticatesWithATokenAndStopsForGoodWhenRefused() throws Exception {
    try (ScriptedPeer hub =
            ScriptedPeer.start(peer -> peer.send("{\"type\":\"connection:pending\"}"));
        CmwsProcess good = worker(hub, "--token", "s3cret")) {
      ScriptedPeer.Peer peer = hub.accept();
      assertEquals("{\"type\":\"auth\",\"token\":\"s3cret\"}", peer.expect("auth").toString());
      peer.send("{\"type\":\"auth:success\"}");
      peer.expect("register");
      peer.send("{\"type\":\"registered\",\"workerId\":\"" + UUID.randomUUID() + "\"}");
      good.err.await("registered as", WAIT);

      try (CmwsProcess refused = worker(hub, "--token", "wrong")) {
        ScriptedPeer.Peer second = hub.accept();
        second.expect("auth");
        second.send("{\"type\":\"auth:failed\",\"reason\":\"Invalid token\"}");
        second.close(4003, "Invalid token");
        assertEquals(5, refused.waitFor(WAIT), "refused: exit, no reconnect loop (B14)");
        assertFalse(
            refused.err.snapshot().stream().anyMatch(l -> l.contains("reconnecting")),
            refused.err.snapshot().toString());
      }
    }
  }
}
