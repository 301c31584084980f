package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.ScriptedPeer;
import io.cmws.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cmws subscribe} against a peer that behaves like the claude-mem backend (§2.2, §9). */
class SubscribeAgainstClaudeMemIT {

  @Test
  void speaksTheBrowserDialogue() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend()) {
      CliRun sub =
          CliRun.start(
              "subscribe",
              "session:*",
              "task:completed",
              "--json",
              "--count",
              "2",
              "--url",
              backend.url().toString());
      ScriptedPeer.Peer peer = backend.accept();
      JsonNode auth = peer.expect("auth");
      assertEquals(
          "{\"type\":\"auth\",\"clientType\":\"browser\",\"agent\":\"cmws-cli\"}",
          auth.toString(),
          "no token field; agent is a cmws extension claude-mem ignores");
      peer.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-2-mwwv0jcg\",\"permissions\":[\"subscribe\"]}");
      JsonNode subscribe = peer.expect("subscribe");
      assertEquals(
          "{\"type\":\"subscribe\",\"channels\":[\"session:*\",\"task:completed\"]}",
          subscribe.toString());
      peer.send("{\"type\":\"subscribed\",\"channels\":[\"session:*\",\"task:completed\"]}");
      sub.err.await("subscribed", Duration.ofSeconds(10));

      peer.send("{\"type\":\"ping\"}");
      assertEquals("{\"type\":\"pong\"}", peer.expect("pong").toString());
      peer.send(
          "{\"type\":\"event\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S1\",\"project\":\"p\"},"
              + "\"timestamp\":1795655664947}");
      peer.send("{\"type\":\"heartbeat:ack\"}");
      peer.send(
          "{\"type\":\"event\",\"channel\":\"task:completed\",\"data\":{\"taskId\":\"T\"},\"timestamp\":1795655664950}");
      assertEquals(0, sub.exitCode());
      JsonNode first = Json.parse(sub.stdout().get(0));
      assertEquals("session:started", first.get("channel").asText());
      assertTrue(first.get("seq").isNull(), "claude-mem sends no seq");
      assertEquals(1795655664947L, first.get("timestamp").asLong());
      assertEquals("task:completed", Json.parse(sub.stdout().get(1)).get("channel").asText());
    }
  }

  @Test
  void sendsTheTokenOnlyWhenGiven() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend()) {
      CliRun sub =
          CliRun.start(
              "subscribe",
              "*",
              "--token",
              "t0k",
              "--count",
              "1",
              "--url",
              backend.url().toString());
      ScriptedPeer.Peer peer = backend.accept();
      assertEquals(
          "{\"type\":\"auth\",\"clientType\":\"browser\",\"token\":\"t0k\",\"agent\":\"cmws-cli\"}",
          peer.expect("auth").toString());
      peer.send("{\"type\":\"auth:success\"}"); // a backend treats a token as a worker: empty
      // auth:success
      peer.expect("subscribe");
      peer.send("{\"type\":\"subscribed\",\"channels\":[\"*\"]}");
      peer.send("{\"type\":\"event\",\"channel\":\"x\",\"data\":1,\"timestamp\":1}");
      assertEquals(0, sub.exitCode());
      assertEquals("x 1", sub.stdout().get(0));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void resubscribesAfterTheBackendDropsTheConnectionAndSaysEventsMayBeMissing(boolean json)
      throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend()) {
      List<String> args =
          new ArrayList<>(
              List.of("subscribe", "session:*", "--count", "1", "--url", backend.url().toString()));
      if (json) {
        args.add("--json");
      }
      CliRun sub = CliRun.start(args.toArray(String[]::new));
      ScriptedPeer.Peer first = backend.accept();
      first.expect("auth");
      first.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-2-a\",\"permissions\":[\"subscribe\"]}");
      first.expect("subscribe");
      first.send("{\"type\":\"subscribed\",\"channels\":[\"session:*\"]}");
      sub.err.await("subscribed", Duration.ofSeconds(10)); // only then is a drop a reconnect case
      first.drop();
      ScriptedPeer.Peer second = backend.accept();
      second.expect("auth");
      second.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-4-b\",\"permissions\":[\"subscribe\"]}");
      assertEquals("[\"session:*\"]", second.expect("subscribe").get("channels").toString());
      second.send("{\"type\":\"subscribed\",\"channels\":[\"session:*\"]}");
      second.send(
          "{\"type\":\"event\",\"channel\":\"session:ended\",\"data\":{\"sessionId\":\"S\"},\"timestamp\":2}");
      assertEquals(0, sub.exitCode());
      assertTrue(
          sub.stderr().stream().anyMatch(l -> l.contains("reconnecting in")),
          sub.stderr().toString());
      // a backend without seq cannot replay: the possible gap is said, never silent
      String gap =
          sub.stderr().stream()
              .filter(l -> l.contains("may be missing"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no gap notice: " + sub.stderr()));
      if (json) {
        JsonNode line = Json.parse(gap);
        assertEquals("gap", line.get("type").asText());
        assertEquals("no-history", line.get("reason").asText());
        assertTrue(line.get("since").asLong() <= line.get("until").asLong(), gap);
        assertEquals("[\"session:*\"]", line.get("patterns").toString());
      } else {
        assertTrue(gap.startsWith("cmws: after the reconnect: " + backend.url()), gap);
      }
    }
  }
}
