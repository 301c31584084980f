package io.cmws.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CliRun;
import io.cmws.protocol.Json;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** status, workers, channels and history as one-shot commands, against a hub with known content. */
@Timeout(60)
class IntrospectionCommandsIT {

  @Test
  void eachCommandShowsWhatTheHubHolds() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient watcher = hub.subscriber("demo:*");
        RawClient publisher = hub.subscriber();
        RawClient worker = RawClient.greeted(hub.url())) {
      worker
          .send(
              "{\"type\":\"register\",\"capabilities\":[\"resize\"],\"metadata\":{\"name\":\"box\"}}")
          .expect("registered");
      for (int i = 1; i <= 6; i++) {
        publisher
            .send("{\"type\":\"publish\",\"channel\":\"demo:x\",\"data\":{\"n\":" + i + "}}")
            .expect("published");
      }
      String url = hub.url().toString();

      CliRun status = CliRun.run("status", "--json", "--url", url);
      assertEquals(0, status.exitCode(), status.stderr().toString());
      assertEquals(1, status.stdout().size(), "one JSON document");
      JsonNode doc = Json.parse(status.stdout().get(0));
      assertEquals("ok", doc.get("health").asText());
      assertEquals("memory", doc.get("store").asText());
      assertTrue(doc.get("version").asText().length() > 0, doc.toString());
      assertTrue(doc.get("uptimeMs").asLong() >= 0, doc.toString());
      assertEquals(1, doc.get("connections").get("worker").asInt(), doc.toString());
      assertEquals(1, doc.get("tasks").get("workers").asInt());
      assertEquals(0, doc.get("tasks").get("waiting").asInt());
      assertEquals(7, doc.get("eventsPublished").asLong(), "six on demo:x and worker:connected");
      CliRun statusText = CliRun.run("status", "--url", url);
      assertTrue(
          statusText.stdout().get(1).matches("health\\s+ok"), statusText.stdout().toString());

      CliRun workers = CliRun.run("workers", "--json", "--url", url);
      assertEquals(0, workers.exitCode(), workers.stderr().toString());
      JsonNode listed = Json.parse(workers.stdout().get(0)).get("workers");
      assertEquals(1, listed.size());
      assertTrue(listed.get(0).get("id").asText().matches("box-\\d+-[0-9a-z]+"), listed.toString());
      assertEquals("[\"resize\"]", listed.get(0).get("capabilities").toString());

      CliRun channels = CliRun.run("channels", "--json", "--url", url);
      assertEquals(0, channels.exitCode(), channels.stderr().toString());
      JsonNode reply = Json.parse(channels.stdout().get(0));
      JsonNode demo = find(reply.get("channels"), "channel", "demo:x");
      assertEquals(6, demo.get("seq").asLong());
      assertEquals(1, demo.get("subscribers").asInt());
      assertEquals(1, find(reply.get("patterns"), "pattern", "demo:*").get("subscribers").asInt());

      CliRun history = CliRun.run("history", "demo:x", "--last", "5", "--json", "--url", url);
      assertEquals(0, history.exitCode(), history.stderr().toString());
      assertEquals(5, history.stdout().size(), history.stdout().toString());
      for (int i = 0; i < 5; i++) {
        JsonNode event = Json.parse(history.stdout().get(i));
        assertEquals(
            List.of("channel", "data", "timestamp", "seq", "pattern"),
            List.copyOf(iterable(event.fieldNames())),
            "subscribe --json's shape");
        assertEquals(i + 2, event.get("seq").asLong());
        assertEquals(i + 2, event.get("data").get("n").asInt());
      }
      CliRun historyText = CliRun.run("history", "demo:x", "--last", "1", "--url", url);
      assertEquals(List.of("demo:x#6 {\"n\":6}"), historyText.stdout());
    }
  }

  @Test
  void aHubThatIsDownIsExit3() throws Exception {
    int port;
    try (TestHub hub = TestHub.start()) {
      port = hub.server().port();
    }
    for (String command : List.of("status", "workers", "channels")) {
      CliRun run = CliRun.run(command, "--url", "ws://127.0.0.1:" + port + "/ws");
      assertEquals(3, run.exitCode(), command + ": " + run.stderr());
    }
    assertEquals(
        2,
        CliRun.run("history", "demo:x", "--last", "0", "--url", "ws://127.0.0.1:1/ws").exitCode());
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode item : array) {
      if (item.path(field).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no " + field + " " + value + " in " + array);
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> all = new ArrayList<>();
    it.forEachRemaining(all::add);
    return all;
  }
}
