package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.hub.AccessPolicy;
import io.cmws.hub.TokenRegistry;
import io.cmws.hub.TokenSpec;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.RawHttp;
import io.cmws.testing.TestHub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The viewer on the admin port: its page and the browser client module served from the jar, and the
 * read-only JSON API, readable by the viewer's own origin and by tools with admin only.
 */
class ViewerHttpIT {

  private static TestHub withTokens() throws Exception {
    AccessPolicy access =
        new AccessPolicy(
            new TokenRegistry(
                List.of(TokenSpec.parse("ops=0ps-secret"), TokenSpec.parse("ui=u1:subscribe"))),
            false);
    return TestHub.start(c -> c.withHub(c.hub().withAccess(access)));
  }

  @Test
  void servesThePageTheModuleAndItsTypesFromTheJar() throws Exception {
    try (TestHub hub = TestHub.start()) {
      RawHttp.Response page = RawHttp.get(hub.adminUrl(), "/", Map.of());
      assertEquals(200, page.status());
      assertTrue(page.head().toLowerCase().contains("content-type: text/html"), page.head());
      assertTrue(
          page.head().toLowerCase().contains("content-security-policy: default-src 'self'"),
          page.head());
      assertTrue(page.body().contains("<script type=\"module\" src=\"/viewer.js\">"));

      RawHttp.Response module = RawHttp.get(hub.adminUrl(), "/cmws.js", Map.of());
      assertEquals(200, module.status());
      assertTrue(
          module.head().toLowerCase().contains("content-type: text/javascript"), module.head());
      assertTrue(
          module.head().toLowerCase().contains("access-control-allow-origin: *"),
          "importable anywhere");
      assertTrue(module.body().contains("export function connect("));
      RawHttp.Response types = RawHttp.get(hub.adminUrl(), "/cmws.d.ts", Map.of());
      assertTrue(types.body().contains("export declare function connect("));

      int total = 0;
      for (String asset : List.of("/", "/viewer.js", "/viewer.css", "/cmws.js")) {
        total += RawHttp.get(hub.adminUrl(), asset, Map.of()).body().length();
      }
      assertTrue(total < 100_000, "page and scripts together: " + total + " bytes");
      assertEquals(404, RawHttp.get(hub.adminUrl(), "/nothing.js", Map.of()).status());
    }
  }

  @Test
  void infoNamesTheWebSocketForAnyPage() throws Exception {
    try (TestHub hub = TestHub.start()) {
      RawHttp.Response info =
          RawHttp.get(hub.adminUrl(), "/api/info", Map.of("Origin", "http://app.example"));
      assertEquals(200, info.status());
      JsonNode body = Json.parse(info.body());
      assertEquals(hub.url().toString(), body.get("ws").asText());
      assertEquals("cmws", body.get("server").asText());
    }
  }

  @Test
  void theApiAnswersAsTheIntrospectionFramesDoForTheViewerOnly() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      publisher
          .send("{\"type\":\"publish\",\"channel\":\"v:1\",\"data\":{\"k\":1}}")
          .expect("published");
      JsonNode channels = Json.parse(RawHttp.get(hub.adminUrl(), "/api/channels", Map.of()).body());
      assertEquals("channels:info", channels.get("type").asText());
      assertEquals("v:1", channels.get("channels").get(0).get("channel").asText());
      JsonNode history =
          Json.parse(
              RawHttp.get(hub.adminUrl(), "/api/history?channel=v:1&last=5", Map.of()).body());
      assertEquals(1, history.get("events").size());
      assertEquals(
          "task:listed",
          Json.parse(RawHttp.get(hub.adminUrl(), "/api/tasks?limit=5", Map.of()).body())
              .get("type")
              .asText());
      assertEquals(
          "workers:info",
          Json.parse(RawHttp.get(hub.adminUrl(), "/api/workers", Map.of()).body())
              .get("type")
              .asText());

      String own = "http://" + hub.adminUrl().getHost() + ":" + hub.adminUrl().getPort();
      assertEquals(
          200, RawHttp.get(hub.adminUrl(), "/api/workers", Map.of("Origin", own)).status());
      RawHttp.Response foreign =
          RawHttp.get(hub.adminUrl(), "/api/workers", Map.of("Origin", "http://localhost:3000"));
      assertEquals(403, foreign.status(), "another page, even a loopback one, may not read it");
      assertTrue(foreign.body().contains("only the hub's own viewer"), foreign.body());
      assertEquals(404, RawHttp.get(hub.adminUrl(), "/api/nothing", Map.of()).status());
    }
  }

  @Test
  void withTokensTheApiNeedsOneThatHoldsAdmin() throws Exception {
    try (TestHub hub = withTokens()) {
      assertEquals(403, RawHttp.get(hub.adminUrl(), "/api/tasks", Map.of()).status());
      assertEquals(
          403,
          RawHttp.get(hub.adminUrl(), "/api/tasks", Map.of("Authorization", "Bearer u1")).status(),
          "subscribe only");
      assertEquals(
          401,
          RawHttp.get(hub.adminUrl(), "/api/tasks", Map.of("Authorization", "Bearer nope"))
              .status());
      RawHttp.Response ops =
          RawHttp.get(hub.adminUrl(), "/api/tasks", Map.of("Authorization", "Bearer 0ps-secret"));
      assertEquals(200, ops.status(), ops.body());
      assertTrue(
          Json.parse(RawHttp.get(hub.adminUrl(), "/api/info", Map.of()).body())
              .get("tokens")
              .asBoolean());
    }
  }
}
