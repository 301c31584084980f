package io.cmws.hub;

import static io.cmws.hub.FakeConnections.sink;
import static io.cmws.hub.FakeConnections.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.testing.MutableClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pub/sub rules, without sockets: each refusal names its reason and takes nothing. */
class PubSubFramesTest {
  private static final Set<Permission> READ = EnumSet.of(Permission.SUBSCRIBE);
  private static final Set<Permission> READ_WRITE =
      EnumSet.of(Permission.SUBSCRIBE, Permission.BROADCAST);

  private final MutableClock clock = new MutableClock(1_000);
  private final FakeConnections connections = new FakeConnections();
  private final ChannelRouter router = new ChannelRouter(clock, connections.metrics, 100);
  private final AtomicReference<String> unavailable = new AtomicReference<>();
  private final TokenRegistry tokens =
      new TokenRegistry(
          List.of(
              TokenSpec.parse("ui=ui-secret:subscribe,broadcast")
                  .withChannels(List.of("session:*"))));

  PubSubFramesTest() {
    Limits limits = Limits.standard().withSubscriptions(3, 2).withMaxChannels(2);
    new PubSubFrames(
            router,
            new Replayer(router, "e1", clock),
            EventPublishing.local(router),
            new AccessPolicy(tokens, false),
            limits,
            connections.metrics,
            connections.replies,
            unavailable::get)
        .routes(connections.routes);
  }

  private Connection client(Set<Permission> permissions) {
    return connections.authenticated(ClientType.BROWSER, permissions, null);
  }

  private static void assertError(JsonNode reply, String code, String messagePart) {
    assertEquals("error", reply.path("type").asText(), reply.toString());
    assertEquals(code, reply.path("code").asText(), reply.toString());
    assertTrue(reply.path("message").asText().contains(messagePart), reply.toString());
  }

  @Test
  void aPublishIsAcknowledgedWithItsSeqAndReachesSubscribersOnce() {
    Connection reader = client(READ);
    JsonNode subscribed =
        connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"demo:*\",\"*\"]}");
    assertEquals(List.of("demo:*", "*"), strings(subscribed.get("channels")));
    Connection writer = client(READ_WRITE);
    connections.send(
        writer, "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"demo:a\",\"data\":1}");
    JsonNode ack =
        connections.send(
            writer, "{\"type\":\"publish\",\"id\":\"p2\",\"channel\":\"demo:a\",\"data\":2}");
    assertEquals("published", ack.get("type").asText());
    assertEquals("p2", ack.get("id").asText());
    assertEquals(2, ack.get("seq").asLong());
    List<JsonNode> events = sink(reader).ofType("event");
    assertEquals(2, events.size(), "once each, though two patterns match");
    assertEquals(1, events.get(0).get("seq").asLong());
  }

  @Test
  void publishingNeedsBroadcastAndTheRefusalNamesIt() {
    JsonNode refused =
        connections.send(client(READ), "{\"type\":\"publish\",\"channel\":\"demo:a\",\"data\":1}");
    assertError(refused, "forbidden", "Permission 'broadcast' required for publish");
    assertEquals("broadcast", refused.get("permission").asText());
    assertEquals(0, router.channels(), "nothing published");
  }

  @Test
  void aBadChannelNameIsRefused() {
    Connection writer = client(READ_WRITE);
    for (String channel : List.of("demo:*", "", "a::b", "demo:" + "x".repeat(300))) {
      JsonNode refused =
          connections.send(
              writer, "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":1}");
      assertError(refused, "invalid_channel", "");
    }
    assertEquals(0, router.channels());
  }

  @Test
  void aScopedTokenPublishesOnlyInsideItsChannels() {
    Connection ui = connections.authenticated(ClientType.BROWSER, READ_WRITE, "ui");
    assertEquals(
        "published",
        connections
            .send(ui, "{\"type\":\"publish\",\"channel\":\"session:S1\",\"data\":1}")
            .get("type")
            .asText());
    assertError(
        connections.send(ui, "{\"type\":\"publish\",\"channel\":\"task:x\",\"data\":1}"),
        "forbidden",
        "may only use channels session:*");
    assertError(
        connections.send(ui, "{\"type\":\"subscribe\",\"channels\":[\"*\"]}"),
        "forbidden",
        "'*' is outside them");
    assertEquals(2, connections.metrics.limitRejections("token_channels"));
  }

  @Test
  void aNewChannelBeyondTheLimitIsRefusedWhileKnownOnesStayOpen() {
    Connection writer = client(READ_WRITE);
    connections.send(writer, "{\"type\":\"publish\",\"channel\":\"a:1\",\"data\":1}");
    connections.send(writer, "{\"type\":\"publish\",\"channel\":\"a:2\",\"data\":1}");
    assertError(
        connections.send(writer, "{\"type\":\"publish\",\"channel\":\"a:3\",\"data\":1}"),
        "limit_exceeded",
        "at most 2 channels");
    assertEquals(
        "published",
        connections
            .send(writer, "{\"type\":\"publish\",\"channel\":\"a:1\",\"data\":2}")
            .get("type")
            .asText());
    assertEquals(1, connections.metrics.limitRejections("channels"));
  }

  @Test
  void whileTheStorageIsUnavailablePublishesAreRefusedWithTheReason() {
    Connection writer = client(READ_WRITE);
    unavailable.set("the store is behind");
    assertError(
        connections.send(writer, "{\"type\":\"publish\",\"channel\":\"a:1\",\"data\":1}"),
        "unavailable",
        "the store is behind");
    assertEquals(0, router.channels());
    unavailable.set(null);
    assertEquals(
        1,
        connections
            .send(writer, "{\"type\":\"publish\",\"channel\":\"a:1\",\"data\":1}")
            .get("seq")
            .asLong());
  }

  @Test
  void subscribingChecksPermissionPatternsAndRoomBeforeTakingAnything() {
    Connection nobody = client(EnumSet.noneOf(Permission.class));
    assertError(
        connections.send(nobody, "{\"type\":\"subscribe\",\"channels\":[\"a:*\"]}"),
        "forbidden",
        "'subscribe' required");
    Connection reader = client(READ);
    assertError(
        connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"a:*\",\"b*\"]}"),
        "invalid_pattern",
        "");
    assertTrue(reader.patterns().isEmpty(), "one bad pattern subscribes nothing");
    assertError(
        connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"a\",\"b\",\"c\"]}"),
        "limit_exceeded",
        "at most 2 channels per subscribe");
    connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"a\",\"b\"]}");
    JsonNode again = connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"a\"]}");
    assertEquals(List.of(), strings(again.get("channels")), "only the newly added are listed");
    assertError(
        connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"c\",\"d\"]}"),
        "limit_exceeded",
        "at most 3 subscriptions per connection");
    assertEquals(Set.of("a", "b"), reader.patterns());
  }

  @Test
  void anUnauthenticatedConnectionMaySubscribeToNothing() {
    Connection pending = connections.pending();
    assertError(
        connections.send(pending, "{\"type\":\"subscribe\",\"channels\":[\"a\"]}"),
        "unauthenticated",
        "send auth");
    assertFalse(pending.patterns().contains("a"));
  }

  @Test
  void historyNeedsSubscribeAndReturnsTheKeptEvents() {
    Connection writer = client(READ_WRITE);
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMillis(1));
      connections.send(writer, "{\"type\":\"publish\",\"channel\":\"a:1\",\"data\":" + i + "}");
    }
    JsonNode history =
        connections.send(client(READ), "{\"type\":\"history\",\"channel\":\"a:1\",\"last\":2}");
    assertEquals("history:info", history.get("type").asText(), history.toString());
    assertEquals(2, history.get("events").size());
    assertEquals(3, history.get("events").get(1).get("seq").asLong());
    assertTrue(history.get("complete").asBoolean());
    assertError(
        connections.send(
            client(EnumSet.noneOf(Permission.class)), "{\"type\":\"history\",\"channel\":\"a:1\"}"),
        "forbidden",
        "'subscribe' required for history");
  }

  @Test
  void unsubscribeAnswersWithWhatWasRemoved() {
    Connection reader = client(READ);
    connections.send(reader, "{\"type\":\"subscribe\",\"channels\":[\"a\",\"b\"]}");
    JsonNode removed =
        connections.send(reader, "{\"type\":\"unsubscribe\",\"channels\":[\"a\",\"z\"]}");
    assertEquals("unsubscribed", removed.get("type").asText());
    assertEquals(List.of("a"), strings(removed.get("channels")));
  }
}
