package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.BrowserGuard;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.testing.RawClient;
import io.cmws.testing.RawHttp;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A default hub on loopback against hostile web pages: foreign origins are refused at the
 * handshake, pages get {@code subscribe} only without a token, and rebound Host names are refused
 * on the WebSocket and admin endpoints.
 */
@Timeout(30)
class BrowserSafetyIT {
  private static final String EVIL = "https://evil.example";

  private static TestHub hub(List<String> origins, List<String> hosts) throws IOException {
    return TestHub.start(
        c -> c.withHub(c.hub().withBrowsers(new BrowserGuard(origins, hosts, true))));
  }

  private static int upgrade(TestHub hub, Map<String, String> headers) throws IOException {
    return RawHttp.upgrade(hub.url(), headers).status();
  }

  private static String metric(TestHub hub, String limit) throws Exception {
    String line = "cmws_limit_rejections_total{limit=\"" + limit + "\"} ";
    return hub.get("/metrics")
        .lines()
        .filter(l -> l.startsWith(line))
        .map(l -> l.substring(line.length()))
        .findFirst()
        .orElse("0");
  }

  @Test
  void aPageOfAnotherSiteIsRefusedWith403AndCountedWhileLoopbackPagesAndToolsGetIn()
      throws Exception {
    try (TestHub hub = TestHub.start()) {
      RawHttp.Response refused = RawHttp.upgrade(hub.url(), Map.of("Origin", EVIL));
      assertEquals(403, refused.status(), refused.head());
      assertTrue(refused.body().contains("--allowed-origin https://evil.example"), refused.body());
      for (String page :
          List.of(
              "http://127.0.0.1:5173",
              "http://localhost:3000",
              "https://127.8.9.10",
              "http://[::1]:8080",
              "http://LOCALHOST")) {
        assertEquals(101, upgrade(hub, Map.of("Origin", page)), page);
      }
      for (String foreign :
          List.of(
              "null",
              "http://127.0.0.1.evil.example",
              "http://localhost.evil.example",
              "file://",
              "ws://127.0.0.1:5173",
              "http://128.0.0.1")) {
        assertEquals(403, upgrade(hub, Map.of("Origin", foreign)), foreign);
      }
      assertEquals(101, upgrade(hub, Map.of()), "a tool without Origin");
      assertEquals("7", metric(hub, "origin"));
    }
  }

  @Test
  void anOriginGivenWithAllowedOriginGetsInAndStarLetsAnyIn() throws Exception {
    try (TestHub listed = hub(List.of(EVIL), List.of());
        TestHub any = hub(List.of("*"), List.of())) {
      assertEquals(101, upgrade(listed, Map.of("Origin", EVIL)));
      assertEquals(
          101,
          upgrade(listed, Map.of("Origin", "https://EVIL.example/")),
          "compared as origins are");
      assertEquals(403, upgrade(listed, Map.of("Origin", "https://other.example")));
      assertEquals(101, upgrade(any, Map.of("Origin", "https://other.example")));
      assertEquals(101, upgrade(any, Map.of("Origin", "null")));
    }
  }

  @Test
  void aBrowserPageWithoutATokenGetsSubscribeOnlyAndItsPublishAndTaskFramesAreForbidden()
      throws Exception {
    TokenRegistry tokens =
        new TokenRegistry(List.of(TokenSpec.parse("ui=ui-secret:subscribe,broadcast")));
    try (TestHub hub = TestHub.start();
        RawClient page = RawClient.connect(hub.url(), Map.of("Origin", "http://127.0.0.1:5173"));
        RawClient tool = RawClient.greeted(hub.url())) {
      page.expect("connection:pending");
      JsonNode success = page.send("{\"type\":\"auth\"}").expect("auth:success");
      assertEquals("[\"subscribe\"]", success.get("permissions").toString());
      page.send("{\"type\":\"subscribe\",\"channels\":[\"demo:*\"]}").expect("subscribed");
      for (String frame :
          List.of(
              "{\"type\":\"publish\",\"channel\":\"claudemd:ready\",\"data\":{}}",
              "{\"type\":\"task:submit\",\"taskType\":\"echo\",\"payload\":{}}",
              "{\"type\":\"task:list\"}")) {
        JsonNode refused = page.send(frame).expect("error");
        assertEquals("forbidden", refused.get("code").asText(), frame + " -> " + refused);
        assertTrue(refused.has("permission"), refused.toString());
      }
      assertEquals(
          "broadcast",
          page.send("{\"type\":\"publish\",\"channel\":\"a:b\",\"data\":1}")
              .expect("error")
              .get("permission")
              .asText());

      // a tool on loopback without Origin keeps today's defaults on a hub without tokens
      tool.send("{\"type\":\"auth\",\"clientType\":\"browser\"}").expect("auth:success");
      tool.send("{\"type\":\"publish\",\"channel\":\"demo:x\",\"data\":1}").expect("published");
      assertEquals("demo:x", page.expect("event").get("channel").asText(), "the page still reads");
    }
    try (TestHub hub =
            TestHub.start(c -> c.withHub(c.hub().withAccess(new AccessPolicy(tokens, false))));
        RawClient page = RawClient.connect(hub.url(), Map.of("Origin", "http://127.0.0.1:5173"))) {
      page.expect("connection:pending");
      JsonNode success =
          page.send("{\"type\":\"auth\",\"token\":\"ui-secret\",\"clientType\":\"browser\"}")
              .expect("auth:success");
      assertEquals("[\"subscribe\",\"broadcast\"]", success.get("permissions").toString());
      page.send("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"demo:x\",\"data\":1}")
          .expect("published");
    }
  }

  @Test
  void aBrowserPageCannotActAsAWorkerOrSseWriterWithoutAToken() throws Exception {
    try (TestHub hub = TestHub.start()) {
      for (String auth :
          List.of(
              "{\"type\":\"auth\",\"capabilities\":[\"shell\"]}",
              "{\"type\":\"auth\",\"clientType\":\"sse-writer\",\"sessionId\":\"S1\"}",
              "{\"type\":\"auth\",\"clientType\":\"hub\"}")) {
        try (RawClient page =
            RawClient.connect(hub.url(), Map.of("Origin", "http://localhost:5173"))) {
          page.expect("connection:pending");
          JsonNode failed = page.send(auth).expect("auth:failed");
          assertTrue(
              failed.get("reason").asText().startsWith("A browser page needs a token"),
              failed.toString());
          assertEquals(4001, page.awaitClose().code());
        }
      }
      try (RawClient page =
          RawClient.connect(hub.url(), Map.of("Origin", "http://localhost:5173"))) {
        page.expect("connection:pending");
        JsonNode refused =
            page.send("{\"type\":\"register\",\"capabilities\":[\"shell\"]}").expect("error");
        assertTrue(refused.get("message").asText().contains("needs a token"), refused.toString());
      }
    }
  }

  @Test
  void aRequestNamingAnotherHostIsRefusedOnTheSocketAndEveryAdminPath() throws Exception {
    try (TestHub hub = TestHub.start()) {
      Map<String, String> rebound = Map.of("Host", "evil.example:" + hub.url().getPort());
      assertEquals(403, upgrade(hub, rebound));
      URI admin = hub.adminUrl();
      for (String path : List.of("/metrics", "/debug/heap", "/api/stream", "/health")) {
        RawHttp.Response refused =
            RawHttp.get(admin, path, Map.of("Host", "evil.example:" + admin.getPort()));
        assertEquals(403, refused.status(), path);
        assertTrue(refused.body().contains("--allowed-host"), refused.body());
      }
      for (String host :
          List.of(
              "localhost:" + admin.getPort(),
              "127.0.0.1:" + admin.getPort(),
              "localhost",
              "[::1]:" + admin.getPort())) {
        assertEquals(200, RawHttp.get(admin, "/metrics", Map.of("Host", host)).status(), host);
      }
      assertEquals(101, upgrade(hub, Map.of("Host", "localhost:" + hub.url().getPort())));
      assertEquals(101, upgrade(hub, Map.of("Host", "127.0.0.1:" + hub.url().getPort())));
      assertEquals("5", metric(hub, "host"));
    }
  }

  @Test
  void aHostGivenWithAllowedHostIsServed() throws Exception {
    try (TestHub hub = hub(List.of(), List.of("cmws.lan"))) {
      assertEquals(101, upgrade(hub, Map.of("Host", "cmws.lan:" + hub.url().getPort())));
      assertEquals(
          200, RawHttp.get(hub.adminUrl(), "/metrics", Map.of("Host", "CMWS.lan")).status());
      assertEquals(403, upgrade(hub, Map.of("Host", "other.lan")));
    }
  }
}
