package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.cli.testing.ScriptedPeer;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandIT {

  @Test
  void publishesJsonOrTextAndWaitsForTheAck() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("p:*")) {
      CliRun json =
          CliRun.run("publish", "p:json", "{\"sessionId\":\"S1\"}", "--url", hub.url().toString());
      assertEquals(0, json.exitCode());
      assertEquals(List.of(), json.stdout());
      assertEquals("cmws: published 1 event to p:json (last seq 1)", json.stderr().get(0));
      assertEquals("S1", subscriber.expect("event").get("data").get("sessionId").asText());

      assertEquals(
          0,
          CliRun.run("publish", "p:text", "not { json", "--url", hub.url().toString()).exitCode());
      assertEquals("not { json", subscriber.expect("event").get("data").asText());

      assertEquals(0, CliRun.run("publish", "p:none", "--url", hub.url().toString()).exitCode());
      assertTrue(subscriber.expect("event").get("data").isNull());
    }
  }

  @Test
  void publishesOneEventPerStdinLineInOrder() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("lines")) {
      StringBuilder input = new StringBuilder();
      for (int i = 1; i <= 600; i++) {
        input.append("{\"n\":").append(i).append("}\n");
        if (i == 300) {
          input.append("\n"); // blank lines are skipped
        }
      }
      CliRun run =
          CliRun.runWithStdin(
              input.toString(), "publish", "lines", "-", "--json", "--url", hub.url().toString());
      assertEquals(0, run.exitCode(), run.stderr().toString());
      assertEquals(600, run.stdout().size());
      JsonNode lastAck = Json.parse(run.stdout().get(599));
      assertEquals("{\"id\":\"600\",\"channel\":\"lines\",\"seq\":600}", lastAck.toString());
      for (int i = 1; i <= 600; i++) {
        JsonNode event = subscriber.expect("event");
        assertEquals(i, event.get("data").get("n").asInt());
        assertEquals(i, event.get("seq").asInt());
      }
    }
  }

  @Test
  void repeatsWithCountAndReadsFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("payload.json");
    Files.writeString(file, "{\n  \"multi\": \"line\"\n}\n");
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("c")) {
      assertEquals(
          0,
          CliRun.run(
                  "publish",
                  "c",
                  "7",
                  "--count",
                  "3",
                  "--interval",
                  "10ms",
                  "--url",
                  hub.url().toString())
              .exitCode());
      for (int i = 0; i < 3; i++) {
        assertEquals(7, subscriber.expect("event").get("data").asInt());
      }
      assertEquals(
          0,
          CliRun.run("publish", "c", "--file", file.toString(), "--url", hub.url().toString())
              .exitCode());
      assertEquals("line", subscriber.expect("event").get("data").get("multi").asText());
    }
  }

  @Test
  void aRefusalExitsWithTheRejectedCodeAndNamesThePermission() throws Exception {
    try (TestHub hub =
        TestHub.start(
            c ->
                c.withHub(
                    c.hub()
                        .withAccess(
                            new AccessPolicy(
                                new TokenRegistry(List.of(TokenSpec.parse("reader=r:subscribe"))),
                                false))))) {
      CliRun run = CliRun.run("publish", "x", "1", "--url", hub.url().toString());
      assertEquals(5, run.exitCode());
      assertEquals(
          "cmws: publish to x refused by the hub: Permission 'broadcast' required for publish",
          run.stderr().get(0));
    }
  }

  @Test
  void refusesToPublishToAClaudeMemBackend() throws Exception {
    try (ScriptedPeer backend = ScriptedPeer.claudeMemBackend()) {
      CliRun run = CliRun.start("publish", "x", "1", "--url", backend.url().toString());
      ScriptedPeer.Peer peer = backend.accept();
      peer.expect("auth");
      peer.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-2-a\",\"permissions\":[\"subscribe\"]}");
      assertEquals(5, run.exitCode());
      assertTrue(run.stderr().get(0).contains("is not a cmws hub"), run.stderr().toString());
    }
  }

  @Test
  void timesOutWithoutAnAck() throws Exception {
    try (ScriptedPeer silent =
        ScriptedPeer.start(
            peer ->
                peer.send(
                    "{\"type\":\"connection:pending\",\"clientId\":\"pending-1-1\",\"requiresAuth\":false,\"server\":\"cmws\"}"))) {
      CliRun run =
          CliRun.start("publish", "x", "1", "--timeout", "300ms", "--url", silent.url().toString());
      ScriptedPeer.Peer peer = silent.accept();
      peer.expect("auth");
      peer.send(
          "{\"type\":\"auth:success\",\"clientId\":\"browser-2-a\",\"permissions\":[\"broadcast\"]}");
      peer.expect("publish");
      assertEquals(4, run.exitCode());
      assertTrue(run.stderr().get(0).contains("no reply to publish to x"), run.stderr().toString());
    }
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    assertEquals(2, CliRun.run("publish", "bad:*", "1").exitCode());
    assertEquals(2, CliRun.run("publish", "a::b", "1").exitCode());
    assertEquals(2, CliRun.run("publish", "a", "1", "--file", "x").exitCode());
    assertEquals(2, CliRun.run("publish").exitCode());
    assertEquals(2, CliRun.run("publish", "a", "--nope").exitCode());
  }

  @Test
  void unreachableHubExitsWith3() throws Exception {
    int port;
    try (TestHub hub = TestHub.start()) {
      port = hub.server().port();
    }
    CliRun run = CliRun.run("publish", "a", "1", "--url", "ws://127.0.0.1:" + port + "/ws");
    assertEquals(3, run.exitCode());
  }
}
