package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
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
    client.send("{\"type\":\"auth\",\"token\":\"" + token + "\",\"clientType\":\"browser\"}").expect("auth:success");
    return client;
  }

  @Test
  void aTokenLimitedToChannelsMayUseOnlyThoseAndOneWithoutBroadcastPublishesNothing() throws Exception {
    TokenRegistry tokens = new TokenRegistry(List.of(
        TokenSpec.parse("ops=root-secret"),
        TokenSpec.parse("ui=ui-secret:subscribe,broadcast").withChannels(List.of("session:*")),
        TokenSpec.parse("viewer=view-secret:subscribe").withChannels(List.of("session:*"))));
    try (TestHub hub = hub(new AccessPolicy(tokens, false)); RawClient ops = withToken(hub, "root-secret");
        RawClient ui = withToken(hub, "ui-secret"); RawClient viewer = withToken(hub, "view-secret")) {
      viewer.send("{\"type\":\"subscribe\",\"channels\":[\"session:*\"]}").expect("subscribed");
      ui.send("{\"type\":\"subscribe\",\"channels\":[\"session:*\",\"session:S1:started\"]}").expect("subscribed");
      for (String outside : List.of("*", "task:*", "sessions", "session")) {
        JsonNode refused = ui.send("{\"type\":\"subscribe\",\"channels\":[\"" + outside + "\"]}").expect("error");
        assertEquals("forbidden", refused.get("code").asText(), outside + ": " + refused);
        assertTrue(refused.get("message").asText().contains("may only use channels session:*"), refused.toString());
      }
      ui.send("{\"type\":\"publish\",\"channel\":\"session:S1:note\",\"data\":1}").expect("event"); // its own
      ui.expect("published");
      JsonNode notThere = ui.send("{\"type\":\"publish\",\"channel\":\"task:queued\",\"data\":1}").expect("error");
      assertEquals("forbidden", notThere.get("code").asText());
      JsonNode history = ui.send("{\"type\":\"history\",\"channel\":\"task:queued\"}").expect("error");
      assertEquals("forbidden", history.get("code").asText());

      assertEquals("session:S1:note", viewer.expect("event").get("channel").asText());
      JsonNode noBroadcast = viewer.send("{\"type\":\"publish\",\"channel\":\"session:x\",\"data\":1}").expect("error");
      assertEquals("forbidden", noBroadcast.get("code").asText());
      assertEquals("broadcast", noBroadcast.get("permission").asText());

      ops.send("{\"type\":\"subscribe\",\"channels\":[\"*\"]}").expect("subscribed"); // an unlimited token
      ops.send("{\"type\":\"publish\",\"channel\":\"task:queued\",\"data\":2}").expect("event");
      ops.expect("published");
      assertEquals(0, viewer.pending(), "task:queued is outside its subscription");
      assertTrue(hub.get("/metrics").contains("cmws_limit_rejections_total{limit=\"token_channels\"} 6"),
          "counted in /metrics");
    }
  }

  @Test
  void onlyAllowedBrowserOriginsGetIn() throws Exception {
    AccessPolicy access = new AccessPolicy(TokenRegistry.none(), false, List.of("https://app.example.com"));
    try (TestHub hub = hub(access)) {
      RawClient.Close refused = RawClient.refused(hub.url(), Map.of("Origin", "https://evil.example.com"));
      assertTrue(refused.code() != 1000, "the handshake is refused: " + refused);
      try (RawClient allowed = RawClient.connect(hub.url(), Map.of("Origin", "https://APP.example.com/"));
          RawClient tool = RawClient.connect(hub.url())) {
        allowed.expect("connection:pending");
        tool.expect("connection:pending");
      }
      assertTrue(hub.get("/metrics").contains("cmws_limit_rejections_total{limit=\"origin\"} 1"));
    }
  }

  @Test
  void oneSseWriterPerSessionAndItSeesOnlyThatSession() throws Exception {
    try (TestHub hub = TestHub.start(); RawClient first = RawClient.greeted(hub.url());
        RawClient publisher = hub.subscriber()) {
      String auth = "{\"type\":\"auth\",\"clientType\":\"sse-writer\",\"sessionId\":\"S1\",\"project\":\"p\"}";
      first.send(auth).expect("auth:success");
      first.expect("subscribed");
      try (RawClient thief = RawClient.greeted(hub.url())) {
        JsonNode refused = thief.send(auth).expect("auth:failed");
        assertTrue(refused.path("reason").asText().contains("session S1 is claimed by another SSE-writer"), refused.toString());
        assertEquals(4001, thief.awaitClose().code());
      }
      publisher.send("{\"type\":\"publish\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S2\"}}").expect("published");
      publisher.send("{\"type\":\"publish\",\"channel\":\"session:started\",\"data\":{\"sessionId\":\"S1\"}}").expect("published");
      assertEquals("S1", first.expect("event").get("data").get("sessionId").asText(), "S2's event never reaches it");
      first.close();
      boolean claimed = false;
      for (int attempt = 0; attempt < 50 && !claimed; attempt++) { // free again once the hub has seen the close
        try (RawClient next = RawClient.greeted(hub.url())) {
          claimed = next.send(auth).next().path("type").asText().equals("auth:success");
        }
      }
      assertTrue(claimed, "the session can be claimed again after its writer left");
    }
  }
}
