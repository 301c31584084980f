package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Token channel scopes, the Origin allowlist and one SSE-writer per session. */
@Timeout(30)
class SecurityIT {

  private static TestHub hub(AccessPolicy access) throws Exception {
    return TestHub.start(c -> c.withHub(c.hub().withAccess(access)));
  }

  private static RawClient withToken(TestHub hub, String token) throws Exception {
    RawClient client = RawClient.greeted(hub.url());
    client
        .send("{\"type\":\"auth\",\"token\":\"" + token + "\",\"clientType\":\"browser\"}")
        .expect("auth:success");
    return client;
  }

  /**
   * The refusal and the close that follows it leave together; a write request lost to the
   * selector's race must not leave them waiting until the closing handshake times out (the client
   * then saw only 1006, about once in a hundred).
   */
  @Test
  void everyClientWithAWrongTokenIsToldWhyAndClosedWith4001() throws Exception {
    AccessPolicy access =
        new AccessPolicy(new TokenRegistry(List.of(TokenSpec.parse("ops=right"))), false);
    try (TestHub hub = hub(access)) {
      for (int i = 0; i < 300; i++) {
        try (RawClient client = RawClient.greeted(hub.url())) {
          client.send("{\"type\":\"auth\",\"token\":\"wrong\",\"clientType\":\"browser\"}");
          JsonNode failed = client.poll(Duration.ofSeconds(2));
          assertEquals("auth:failed", failed == null ? "nothing" : failed.path("type").asText());
          assertEquals(4001, client.awaitClose().code(), "close of connection " + i);
        }
      }
    }
  }

  @Test
  void aTokenLimitedToChannelsMayUseOnlyThoseAndOneWithoutBroadcastPublishesNothing()
      throws Exception {
    TokenRegistry tokens =
        new TokenRegistry(
            List.of(
                TokenSpec.parse("ops=root-secret"),
                TokenSpec.parse("ui=ui-secret:subscribe,broadcast")
                    .withChannels(List.of("session:*")),
                TokenSpec.parse("viewer=view-secret:subscribe")
                    .withChannels(List.of("session:*"))));
    try (TestHub hub = hub(new AccessPolicy(tokens, false));
        RawClient ops = withToken(hub, "root-secret");
        RawClient ui = withToken(hub, "ui-secret");
        RawClient viewer = withToken(hub, "view-secret")) {
      viewer.send("{\"type\":\"subscribe\",\"channels\":[\"session:*\"]}").expect("subscribed");
      ui.send("{\"type\":\"subscribe\",\"channels\":[\"session:*\",\"session:S1:started\"]}")
          .expect("subscribed");
      for (String outside : List.of("*", "task:*", "sessions", "session")) {
        JsonNode refused =
            ui.send("{\"type\":\"subscribe\",\"channels\":[\"" + outside + "\"]}").expect("error");
        assertEquals("forbidden", refused.get("code").asText(), outside + ": " + refused);
        assertTrue(
            refused.get("message").asText().contains("may only use channels session:*"),
            refused.toString());
      }
      ui.send("{\"type\":\"publish\",\"channel\":\"session:S1:note\",\"data\":1}")
          .expect("event"); // its own
      ui.expect("published");
      JsonNode notThere =
          ui.send("{\"type\":\"publish\",\"channel\":\"task:queued\",\"data\":1}").expect("error");
      assertEquals("forbidden", notThere.get("code").asText());
      JsonNode history =
          ui.send("{\"type\":\"history\",\"channel\":\"task:queued\"}").expect("error");
      assertEquals("forbidden", history.get("code").asText());

      assertEquals("session:S1:note", viewer.expect("event").get("channel").asText());
      JsonNode noBroadcast =
          viewer
              .send("{\"type\":\"publish\",\"channel\":\"session:x\",\"data\":1}")
              .expect("error");
      assertEquals("forbidden", noBroadcast.get("code").asText());
      assertEquals("broadcast", noBroadcast.get("permission").asText());

      ops.send("{\"type\":\"subscribe\",\"channels\":[\"*\"]}")
          .expect("subscribed"); // an unlimited token
      ops.send("{\"type\":\"publish\",\"channel\":\"task:queued\",\"data\":2}").expect("event");
      ops.expect("published");
      assertEquals(0, viewer.pending(), "task:queued is outside its subscription");
      assertTrue(
          hub.get("/metrics").contains("cmws_limit_rejections_total{limit=\"token_channels\"} 6"),
          "counted in /metrics");
    }
  }

  @Test
  void aNewerSseWriterForASessionReplacesTheOlderOneWhichIsClosedWithAFinalCode() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient first = RawClient.greeted(hub.url());
        RawClient publisher = hub.subscriber()) {
      String auth =
          "{\"type\":\"auth\",\"clientType\":\"sse-writer\",\"sessionId\":\"S1\",\"project\":\"p\"}";
      first.send(auth).expect("auth:success");
      first.expect("subscribed");
      try (RawClient second = RawClient.greeted(hub.url())) {
        second.send(auth).expect("auth:success");
        second.expect("subscribed");
        RawClient.Close replaced = first.awaitClose();
        // claude-mem's SSE-writer does not reconnect after 1000 or 1001 (reference §7.4)
        assertEquals(1000, replaced.code(), replaced.toString());
        assertTrue(
            replaced.reason().contains("Replaced by a newer SSE-writer for session S1"),
            replaced.toString());

        publisher
            .send(
                "{\"type\":\"publish\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S2\"}}")
            .expect("published");
        publisher
            .send(
                "{\"type\":\"publish\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S1\"}}")
            .expect("published");
        assertEquals(
            "S1",
            second.expect("event").get("data").get("sessionId").asText(),
            "S2's event never reaches it");
        assertEquals(0, first.pending(), "the replaced writer got nothing after its auth");
      }
    }
  }

  @Test
  void aRemoteSseWriterNeedsATokenToClaimASession() throws Exception {
    TokenRegistry tokens =
        new TokenRegistry(List.of(TokenSpec.parse("hook=hook-secret:subscribe")));
    Map<String, String> remote = Map.of("X-Forwarded-For", "203.0.113.9"); // proxied: not loopback
    String auth =
        "{\"type\":\"auth\",\"clientType\":\"sse-writer\",\"sessionId\":\"S1\",\"project\":\"p\"";
    try (TestHub hub = hub(new AccessPolicy(tokens, true))) {
      try (RawClient anonymous = RawClient.connect(hub.url(), remote)) {
        anonymous.expect("connection:pending");
        JsonNode refused = anonymous.send(auth + "}").expect("auth:failed");
        assertTrue(
            refused.get("reason").asText().contains("needs a token to claim session S1"),
            refused.toString());
        assertEquals(4001, anonymous.awaitClose().code());
      }
      try (RawClient withToken = RawClient.connect(hub.url(), remote)) {
        withToken.expect("connection:pending");
        withToken.send(auth + ",\"token\":\"hook-secret\"}").expect("auth:success");
        withToken.expect("subscribed");
      }
    }
  }
}
