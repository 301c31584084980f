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
import org.junit.jupiter.api.Test;

/** The workers, channels and stats extensions, and who may use them. */
class IntrospectionIT {

  @Test
  void describesWorkersChannelsAndCounters() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient admin = hub.subscriber("demo:*");
        RawClient worker = RawClient.greeted(hub.url())) {
      worker
          .send(
              "{\"type\":\"register\",\"capabilities\":[\"a\",\"b\"],\"metadata\":{\"concurrency\":3}}")
          .expect("registered");
      admin.send("{\"type\":\"task:submit\",\"taskType\":\"a\"}").expect("task:submitted");
      String taskId = worker.expect("task:assign").get("task").get("id").asText();
      admin
          .send("{\"type\":\"publish\",\"channel\":\"demo:x\",\"data\":1}")
          .expect("event"); // fanned out first
      admin.expect("published");

      JsonNode workers = admin.send("{\"type\":\"workers\",\"id\":\"w1\"}").expect("workers:info");
      assertEquals("w1", workers.get("id").asText());
      JsonNode one = workers.get("workers").get(0);
      assertEquals("[\"a\",\"b\"]", one.get("capabilities").toString());
      assertEquals(3, one.get("concurrency").asInt());
      assertEquals("[\"" + taskId + "\"]", one.get("running").toString());
      assertTrue(one.get("address").asText().startsWith("127.0.0.1:"));

      JsonNode channels = admin.send("{\"type\":\"channels\"}").expect("channels:info");
      JsonNode demo = null;
      for (JsonNode channel : channels.get("channels")) {
        if (channel.get("channel").asText().equals("demo:x")) {
          demo = channel;
        }
      }
      assertEquals(1, demo.get("seq").asLong());
      assertEquals(1, demo.get("subscribers").asInt());
      assertEquals(
          "{\"pattern\":\"demo:*\",\"subscribers\":1}", channels.get("patterns").get(0).toString());

      JsonNode stats = admin.send("{\"type\":\"stats\"}").expect("stats:info").get("stats");
      assertEquals(1, stats.get("connections").get("worker").asInt());
      assertEquals(1, stats.get("tasks").get("running").asInt());
      assertTrue(stats.get("eventsPublished").asLong() >= 1);
    }
  }

  @Test
  void needsTheAdminPermission() throws Exception {
    try (TestHub hub =
            TestHub.start(
                c ->
                    c.withHub(
                        c.hub()
                            .withAccess(
                                new AccessPolicy(
                                    new TokenRegistry(
                                        List.of(
                                            TokenSpec.parse("ops=o:admin,subscribe"),
                                            TokenSpec.parse("ui=u:subscribe"))),
                                    false))));
        RawClient tokenless = hub.subscriber();
        RawClient ui = RawClient.greeted(hub.url());
        RawClient ops = RawClient.greeted(hub.url())) {
      JsonNode refused = tokenless.send("{\"type\":\"stats\"}").expect("error");
      assertEquals("admin", refused.get("permission").asText());
      ui.send("{\"type\":\"auth\",\"clientType\":\"browser\",\"token\":\"u\"}")
          .expect("auth:success");
      assertEquals(
          "forbidden", ui.send("{\"type\":\"workers\"}").expect("error").get("code").asText());
      ops.send("{\"type\":\"auth\",\"clientType\":\"browser\",\"token\":\"o\"}")
          .expect("auth:success");
      ops.send("{\"type\":\"workers\"}").expect("workers:info");
    }
  }
}
