package io.cmws.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.cli.testing.FederatedHubs;
import io.cmws.cli.testing.ScriptedPeer;
import io.cmws.protocol.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cmws serve --upstream} federating into a scripted claude-mem backend's {@code /ws/hub},
 * which speaks reference-protocol §6.2 exactly: {@code auth} answered with {@code
 * hub:auth:success}, {@code hub:registered} with a bare {@code hubId}, flat {@code hub:task:assign}
 * without an attempt, its close codes 4003/4004/4005 and {@code backend:shutdown}. The child hub
 * runs the tasks on a real {@code cmws worker}.
 */
class UpstreamAgainstClaudeMemIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CAPABILITY = "observation:mistral";

  private static URI hubEndpoint(ScriptedPeer backend) {
    return URI.create(backend.url() + "/hub");
  }

  private static CmwsProcess child(ScriptedPeer backend, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--upstream",
                hubEndpoint(backend).toString(),
                "--region",
                "eu-west",
                "--label",
                "gpu=a100"));
    args.addAll(List.of(extra));
    return FederatedHubs.hub("gpu-box", args.toArray(String[]::new));
  }

  private static CmwsProcess worker(CmwsProcess child) throws Exception {
    String url = Json.parse(child.out.next(WAIT)).get("url").asText();
    return CmwsProcess.start(
        "worker",
        "--url",
        url,
        "--capabilities",
        CAPABILITY + ",slow",
        "--executor",
        "observation=echo",
        "--executor",
        "slow=shell:sleep 2; cat",
        "--concurrency",
        "2",
        "-q");
  }

  /** The next frame of {@code type} that {@code matches}, skipping health reports and others. */
  private static JsonNode skipTo(ScriptedPeer.Peer peer, String type, Predicate<JsonNode> matches)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame = peer.skipTo(type);
      if (matches.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("no matching " + type + " within " + WAIT);
  }

  private static List<String> fieldNames(JsonNode frame) {
    List<String> names = new ArrayList<>();
    frame.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static boolean canRun(JsonNode health) {
    for (JsonNode capability : health.path("capabilities")) {
      if (capability.asText().equals(CAPABILITY)) {
        return true;
      }
    }
    return false;
  }

  /** Answers auth and registration as the backend does; returns the first health report. */
  private static JsonNode join(ScriptedPeer.Peer peer, String token) throws Exception {
    register(peer, token);
    return peer.expect("hub:health"); // the backend acknowledges it (acknowledgingHealth)
  }

  /** Answers auth and registration as the backend does. */
  private static void register(ScriptedPeer.Peer peer, String token) throws Exception {
    JsonNode auth = peer.expect("auth");
    assertEquals(List.of("type", "token"), fieldNames(auth), "claude-mem's auth frame");
    assertEquals(token, auth.get("token").asText());
    peer.send("{\"type\":\"hub:auth:success\"}");
    JsonNode register = peer.expect("hub:register");
    assertEquals("gpu-box", register.get("name").asText());
    assertEquals("eu-west", register.get("region").asText());
    assertEquals(Json.parse("{\"gpu\":\"a100\"}"), register.get("labels"));
    assertTrue(register.get("capabilities").isArray());
    peer.send("{\"type\":\"hub:registered\",\"hubId\":\"6e3afd96-e3c3-4be8-8bc4-fdc0fc4ac6ec\"}");
  }

  @Test
  @Timeout(90)
  void joinsReportsRunsCancelsAndKeepsResultsAcrossALinkDrop() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.start(peer -> {}).acknowledgingHealth();
        CmwsProcess child = child(backend, "--upstream-token", "hub-secret");
        CmwsProcess worker = worker(child)) {
      ScriptedPeer.Peer peer = backend.accept();
      JsonNode first = join(peer, "hub-secret");
      assertTrue(List.of("healthy", "degraded").contains(first.get("status").asText()));
      assertTrue(first.get("connectedWorkers").isInt());
      assertTrue(first.get("activeWorkers").isInt());
      // claude-mem's hub sends its real capabilities only in health reports; so do we, on change
      JsonNode ready = skipTo(peer, "hub:health", UpstreamAgainstClaudeMemIT::canRun);
      assertEquals("healthy", ready.get("status").asText());
      assertEquals(1, ready.get("connectedWorkers").asInt());
      assertEquals(2, ready.get("freeSlots").asInt(), "cmws extension: the worker's free slots");

      // a flat assignment without attempt, as the backend sends it
      peer.send(
          "{\"type\":\"hub:task:assign\",\"taskId\":\"T1\",\"taskType\":\"observation\","
              + "\"payload\":{\"sessionId\":\"S1\"},\"capability\":\""
              + CAPABILITY
              + "\"}");
      JsonNode complete = peer.skipTo("hub:task:complete");
      assertEquals("T1", complete.get("taskId").asText());
      assertEquals(Json.parse("{\"sessionId\":\"S1\"}"), complete.get("result"));
      assertTrue(complete.get("processingTimeMs").isIntegralNumber());
      assertFalse(complete.has("attempt"), "no attempt came, none goes back");

      // a capability no worker here has: refused at once, retryable, as claude-mem's hub does
      peer.send(
          "{\"type\":\"hub:task:assign\",\"taskId\":\"T2\",\"taskType\":\"translate\","
              + "\"payload\":{},\"capability\":\"translate:de\"}");
      JsonNode refused = peer.skipTo("hub:task:error");
      assertEquals("T2", refused.get("taskId").asText());
      assertTrue(refused.get("error").asText().startsWith("No worker available"));
      assertTrue(refused.get("retryable").asBoolean());

      // cancel reaches the worker: its slot comes back long before the task would have ended
      peer.send(
          "{\"type\":\"hub:task:assign\",\"taskId\":\"T3\",\"taskType\":\"slow\","
              + "\"payload\":{},\"capability\":\"slow\"}");
      skipTo(peer, "hub:health", health -> health.path("activeWorkers").asInt() == 1);
      peer.send("{\"type\":\"hub:task:cancel\",\"taskId\":\"T3\",\"reason\":\"user\"}");
      skipTo(peer, "hub:health", health -> health.path("freeSlots").asInt() == 2);

      // a result that cannot go up while the link is down goes up after the reconnect
      peer.send(
          "{\"type\":\"hub:task:assign\",\"taskId\":\"T4\",\"taskType\":\"slow\","
              + "\"payload\":{\"n\":4},\"capability\":\"slow\"}");
      skipTo(peer, "hub:health", health -> health.path("activeWorkers").asInt() == 1);
      peer.drop();
      ScriptedPeer.Peer again = backend.accept();
      register(again, "hub-secret"); // T4's result may come before or after the first health
      JsonNode late = again.skipTo("hub:task:complete");
      assertEquals("T4", late.get("taskId").asText(), "T3 was cancelled: nothing about it");
      assertEquals(Json.parse("{\"n\":4}"), late.get("result"));

      // the backend's health timeout and its shutdown: the child joins again each time
      again.close(4005, "Health timeout");
      join(backend.accept(), "hub-secret");
      child.err.await("Health timeout", WAIT);
    }
  }

  @Test
  @Timeout(60)
  void sendsRegisterWithoutAuthWhenItHasNoTokenAndRejoinsAfterBackendShutdown() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.start(peer -> {}).acknowledgingHealth();
        CmwsProcess child = child(backend)) {
      ScriptedPeer.Peer peer = backend.accept();
      JsonNode register = peer.expect("hub:register");
      assertEquals("gpu-box", register.get("name").asText());
      peer.send("{\"type\":\"hub:registered\",\"hubId\":\"h-1\"}");
      JsonNode health = peer.expect("hub:health");
      assertEquals("degraded", health.get("status").asText(), "no worker yet, as claude-mem says");
      assertEquals(0, health.get("connectedWorkers").asInt());

      peer.send("{\"type\":\"backend:shutdown\"}");
      peer.close(1001, "Backend shutdown");
      backend.accept().expect("hub:register");
      child.err.await("the parent hub is shutting down", WAIT);
    }
  }

  @Test
  @Timeout(60)
  void aRefusedTokenIsReportedAndTheHubStaysUp() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.start(peer -> {}).acknowledgingHealth();
        CmwsProcess child = child(backend, "--upstream-token", "wrong")) {
      ScriptedPeer.Peer peer = backend.accept();
      assertEquals("wrong", peer.expect("auth").get("token").asText());
      peer.send("{\"type\":\"hub:auth:failed\",\"reason\":\"Invalid token\"}");
      peer.close(4003, "Invalid token");
      String line = child.err.await("refused this hub", WAIT);
      assertTrue(line.contains("Invalid token") && line.contains("--upstream-token"), line);
      assertTrue(child.isAlive(), "a refused upstream does not stop the hub");
      // it tries again, slowly: a token does not become valid by itself
      backend.accept(Duration.ofSeconds(15)).expect("auth");
    }
  }

  @Test
  @Timeout(60)
  void aBackendThatWantsATokenGetsAClearMessage() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.start(peer -> {}).acknowledgingHealth();
        CmwsProcess child = child(backend)) {
      ScriptedPeer.Peer peer = backend.accept();
      peer.expect("hub:register"); // no token, so no auth: straight to registering, as claude-mem
      peer.close(4004, "Authentication required");
      String line = child.err.await("Authentication required", WAIT);
      assertTrue(line.contains("--upstream-token"), line);
      assertTrue(child.isAlive());
    }
  }
}
