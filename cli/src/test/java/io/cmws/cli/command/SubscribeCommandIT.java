package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.protocol.Json;
import io.cmws.server.HubServer;
import io.cmws.server.ServerConfig;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscribeCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  static void publish(TestHub hub, String channel, String data) throws Exception {
    try (RawClient publisher = hub.subscriber()) {
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + data + "}")
          .expect("published");
    }
  }

  @Test
  void printsExactlyTheMatchingEventsAsJsonLinesAndExitsAfterCount() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun sub =
          CliRun.start(
              "subscribe", "session:*", "--json", "--count", "2", "--url", hub.url().toString());
      sub.err.await("subscribed to session:*", WAIT);
      publish(hub, "session:started", "{\"sessionId\":\"S1\"}");
      publish(hub, "task:queued", "{}");
      publish(hub, "session:ended", "{\"sessionId\":\"S1\"}");
      assertEquals(0, sub.exitCode());
      List<String> lines = sub.stdout();
      assertEquals(2, lines.size(), lines.toString());
      JsonNode first = Json.parse(lines.get(0));
      assertEquals(List.of("channel", "data", "timestamp", "seq", "pattern"), fieldNames(first));
      assertEquals("session:started", first.get("channel").asText());
      assertEquals("S1", first.get("data").get("sessionId").asText());
      assertEquals(1, first.get("seq").asLong());
      assertEquals("session:*", first.get("pattern").asText());
      assertEquals("session:ended", Json.parse(lines.get(1)).get("channel").asText());
    }
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void printsTextAndRaw() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun text = CliRun.start("subscribe", "a:*", "--count", "2", "--url", hub.url().toString());
      CliRun raw =
          CliRun.start("subscribe", "a:*", "--raw", "--count", "2", "--url", hub.url().toString());
      text.err.await("subscribed", WAIT);
      raw.err.await("subscribed", WAIT);
      publish(hub, "a:1", "{\"k\":[1,2]}");
      publish(hub, "a:2", "\"plain text\"");
      assertEquals(0, text.exitCode());
      assertEquals(0, raw.exitCode());
      // each channel counts on its own: both are the first event of their channel
      assertEquals(List.of("a:1#1 {\"k\":[1,2]}", "a:2#1 plain text"), text.stdout());
      assertEquals(List.of("{\"k\":[1,2]}", "plain text"), raw.stdout());
      CliRun help = CliRun.run("subscribe", "--help");
      assertTrue(
          String.join("\n", help.stdout()).contains("numbers each channel's events on its own"),
          help.stdout().toString());
    }
  }

  @Test
  void exitsWithTheTimeoutCodeWhenNothingArrives() throws Exception {
    try (TestHub hub = TestHub.start()) {
      CliRun sub =
          CliRun.run("subscribe", "quiet:*", "--timeout", "300ms", "--url", hub.url().toString());
      assertEquals(4, sub.exitCode());
      assertTrue(
          sub.stderr().stream().anyMatch(l -> l.contains("no event within 300 ms")),
          sub.stderr().toString());
    }
  }

  @Test
  void rejectsABadPatternBeforeConnecting() throws Exception {
    CliRun sub = CliRun.run("subscribe", "session*", "--url", "ws://127.0.0.1:1/ws");
    assertEquals(2, sub.exitCode());
    assertTrue(
        sub.stderr().get(0).contains("'*' must be a whole segment"), sub.stderr().toString());
  }

  @Test
  void failsWithTheConnectionCodeWhenNoHubListens() throws Exception {
    int port;
    try (TestHub hub = TestHub.start()) {
      port = hub.server().port();
    }
    CliRun sub =
        CliRun.run(
            "subscribe", "*", "--url", "ws://127.0.0.1:" + port + "/ws", "--connect-timeout", "2s");
    assertEquals(3, sub.exitCode());
    assertTrue(
        sub.stderr().get(0).startsWith("cmws: cannot connect to ws://127.0.0.1:" + port),
        sub.stderr().toString());
  }

  @Test
  void failsWithTheRejectedCodeOnABadToken() throws Exception {
    try (TestHub hub =
        TestHub.start(
            c ->
                c.withHub(
                    c.hub()
                        .withAccess(
                            new AccessPolicy(
                                new TokenRegistry(List.of(TokenSpec.parse("ops=right"))),
                                false))))) {
      CliRun sub = CliRun.run("subscribe", "*", "--token", "wrong", "--url", hub.url().toString());
      assertEquals(5, sub.exitCode());
      assertEquals("cmws: authentication failed: Invalid token", sub.stderr().get(0));
      CliRun json =
          CliRun.run("subscribe", "*", "--json", "--token", "wrong", "--url", hub.url().toString());
      JsonNode error = Json.parse(json.stderr().get(0));
      assertEquals("REJECTED", error.get("code").asText());
      assertEquals("error", error.get("type").asText());
    }
  }

  @Test
  void whileTheHubIsDownEveryStatusLineSaysWhatHappenedToWhatAndWhatComesNext() throws Exception {
    TestHub hub = TestHub.start();
    String url = hub.url().toString();
    CliRun sub = CliRun.start("subscribe", "r:*", "--timeout", "4s", "--url", url);
    sub.err.await("subscribed", WAIT);
    hub.close();
    String lost = sub.err.await("reconnecting in", WAIT);
    assertTrue(
        lost.matches(
            "cmws: connection to \\Q"
                + url
                + "\\E closed \\(1001.*\\); reconnecting in"
                + " \\d+\\.\\d s \\(attempt 1\\)"),
        lost);
    String retry = sub.err.await("retrying in", WAIT);
    assertTrue(
        retry.matches(
            "cmws: cannot connect to \\Q"
                + url
                + "\\E \\(connection refused\\); retrying in \\d+\\.\\d s \\(attempt \\d+\\)"),
        retry);
    assertEquals(4, sub.exitCode(), sub.stderr().toString());
    assertTrue(
        sub.stderr().stream().noneMatch(l -> l.contains("connection cannot")),
        sub.stderr().toString());
  }

  @Test
  void reconnectsAfterTheHubRestartsAndResubscribes() throws Exception {
    TestHub first = TestHub.start();
    int port = first.server().port();
    CliRun sub =
        CliRun.start("subscribe", "r:*", "--json", "--count", "2", "--url", first.url().toString());
    sub.err.await("subscribed", WAIT);
    publish(first, "r:1", "1");
    sub.out.next(WAIT);
    first.close();
    sub.err.await("reconnecting in", WAIT);
    try (TestHub second = TestHub.start(c -> c.withPort(port))) {
      sub.err.await("reconnected to", WAIT);
      publish(second, "r:2", "2");
      assertEquals(0, sub.exitCode());
      assertEquals("r:2", Json.parse(sub.stdout().get(1)).get("channel").asText());
    }
  }

  @Test
  void resumesAfterABlipWithoutGapOrDuplicate() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      CliRun sub =
          CliRun.start(
              "subscribe", "b:*", "--json", "--count", "30", "--url", hub.url().toString());
      sub.err.await("subscribed", WAIT);
      for (int i = 1; i <= 10; i++) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"b:x\",\"data\":" + i + "}")
            .expect("published");
      }
      for (int i = 0; i < 10; i++) {
        sub.out.next(WAIT);
      }
      hub.server().hub().connections().stream()
          .filter(c -> c.patterns().contains("b:*"))
          .forEach(c -> c.close(1012, "blip"));
      for (int i = 11; i <= 30; i++) { // published while the subscriber is away
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"b:x\",\"data\":" + i + "}")
            .expect("published");
      }
      assertEquals(0, sub.exitCode());
      List<String> lines = sub.stdout();
      assertEquals(30, lines.size());
      for (int i = 0; i < 30; i++) {
        JsonNode event = Json.parse(lines.get(i));
        assertEquals(i + 1, event.get("seq").asInt(), "in order, no gap, no duplicate: " + lines);
        assertEquals(i + 1, event.get("data").asInt());
      }
      assertTrue(
          sub.stderr().stream().anyMatch(l -> l.contains("reconnected to")),
          sub.stderr().toString());
    }
  }

  @Test
  void lastAndSinceStartFromTheKeptHistory() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      for (int i = 1; i <= 5; i++) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"h:x\",\"data\":" + i + "}")
            .expect("published");
      }
      CliRun last =
          CliRun.run(
              "subscribe",
              "h:*",
              "--raw",
              "--last",
              "2",
              "--count",
              "2",
              "--url",
              hub.url().toString());
      assertEquals(List.of("4", "5"), last.stdout());
      CliRun since =
          CliRun.run(
              "subscribe",
              "h:*",
              "--raw",
              "--since",
              "1m",
              "--count",
              "5",
              "--url",
              hub.url().toString());
      assertEquals(List.of("1", "2", "3", "4", "5"), since.stdout());
      CliRun fromSeq =
          CliRun.run(
              "subscribe",
              "h:*",
              "--raw",
              "--since",
              "h:x=3",
              "--count",
              "2",
              "--url",
              hub.url().toString());
      assertEquals(List.of("4", "5"), fromSeq.stdout());
    }
  }

  @Test
  void noReconnectExitsWithTheConnectionCode() throws Exception {
    HubServer server = HubServer.start(ServerConfig.ephemeral(), "test");
    CliRun sub = CliRun.start("subscribe", "*", "--no-reconnect", "--url", server.url().toString());
    sub.err.await("subscribed", WAIT);
    server.close();
    assertEquals(3, sub.exitCode());
    assertTrue(
        sub.stderr().get(1).contains("closed (1001 Server shutting down)"),
        sub.stderr().toString());
  }
}
