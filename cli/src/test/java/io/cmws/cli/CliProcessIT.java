package io.cmws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README tour with real processes of the shaded jar: serve, subscribe, publish, SIGTERM. */
class CliProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void tourDeliversExactlyTheTwoSessionEventsThenShutsDownCleanly() throws Exception {
    try (CmwsProcess serve = CmwsProcess.start("serve", "--port", "0", "--json")) {
      JsonNode listening = Json.parse(serve.out.next(WAIT));
      assertEquals("listening", listening.get("type").asText());
      String url = listening.get("url").asText();
      assertTrue(url.matches("ws://127\\.0\\.0\\.1:\\d+/ws"), url);
      assertTrue(serve.err.next(WAIT).startsWith("cmws: hub listening on " + url));

      try (CmwsProcess sub =
              CmwsProcess.start("subscribe", "session:*", "--json", "--count", "2", "--url", url);
          RawClient bystander = RawClient.greeted(URI.create(url))) {
        // authenticated, so that a slow run does not see it closed by the auth timeout instead
        bystander.send("{\"type\":\"auth\"}").expect("auth:success");
        sub.err.await("subscribed to session:*", WAIT);
        for (String[] event :
            new String[][] {
              {"session:started", "{\"sessionId\":\"S1\"}"},
              {"task:queued", "{}"},
              {"session:ended", "{\"sessionId\":\"S1\"}"}
            }) {
          try (CmwsProcess pub = CmwsProcess.start("publish", event[0], event[1], "--url", url)) {
            assertEquals(0, pub.waitFor(WAIT), pub.err.snapshot().toString());
          }
        }
        assertEquals(0, sub.waitFor(WAIT), sub.err.snapshot().toString());
        assertEquals(2, sub.out.snapshot().size(), sub.out.snapshot().toString());
        JsonNode first = Json.parse(sub.out.snapshot().get(0));
        JsonNode second = Json.parse(sub.out.snapshot().get(1));
        assertEquals("session:started", first.get("channel").asText());
        assertEquals("S1", first.get("data").get("sessionId").asText());
        assertEquals("session:ended", second.get("channel").asText());
        assertTrue(first.get("timestamp").asLong() <= second.get("timestamp").asLong());

        serve.terminate();
        assertEquals(0, serve.waitFor(WAIT), "SIGTERM exits 0");
        assertEquals(
            new RawClient.Close(1001, "Server shutting down", true), bystander.awaitClose());
      }
    }
  }
}
