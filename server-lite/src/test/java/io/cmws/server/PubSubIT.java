package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import org.junit.jupiter.api.Test;

class PubSubIT {

  private static JsonNode publish(RawClient publisher, String channel, String data, String id)
      throws Exception {
    return publisher
        .send(
            "{\"type\":\"publish\",\"channel\":\""
                + channel
                + "\",\"data\":"
                + data
                + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + "}")
        .expect("published");
  }

  @Test
  void deliversByWildcardInPublishOrder() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient sessions = hub.subscriber("session:*");
        RawClient failures = hub.subscriber("task:*:failed");
        RawClient publisher = hub.subscriber()) {
      publish(publisher, "session:started", "{\"sessionId\":\"S1\"}", "a");
      publish(publisher, "task:queued", "{}", "b");
      publish(publisher, "task:observation:failed", "{\"n\":1}", "c");
      publish(publisher, "session:ended", "{\"sessionId\":\"S1\"}", "d");
      publish(publisher, "task:failed", "{}", "e");
      publish(publisher, "done", "0", "f");

      JsonNode first = sessions.expect("event");
      assertEquals("session:started", first.get("channel").asText());
      assertEquals("session:*", first.get("pattern").asText());
      assertEquals("session:ended", sessions.expect("event").get("channel").asText());
      JsonNode failed = failures.expect("event");
      assertEquals("task:observation:failed", failed.get("channel").asText());
      assertEquals("task:*:failed", failed.get("pattern").asText());
      assertEquals(0, sessions.pending() + failures.pending());
    }
  }

  @Test
  void acknowledgesWithIdAndPerChannelSeq() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient publisher = hub.subscriber()) {
      JsonNode ack = publish(publisher, "a:b", "1", "x1");
      assertEquals(
          "{\"type\":\"published\",\"id\":\"x1\",\"channel\":\"a:b\",\"seq\":1}", ack.toString());
      assertEquals(2, publish(publisher, "a:b", "2", null).get("seq").asLong());
      assertFalse(publish(publisher, "a:b", "2", null).has("id"));
      assertEquals(
          1, publish(publisher, "a:c", "1", null).get("seq").asLong(), "seq is per channel");
    }
  }

  @Test
  void unsubscribeStopsDelivery() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("a:*", "b:*");
        RawClient publisher = hub.subscriber()) {
      JsonNode ack =
          subscriber
              .send("{\"type\":\"unsubscribe\",\"channels\":[\"a:*\",\"never\"]}")
              .expect("unsubscribed");
      assertEquals("{\"type\":\"unsubscribed\",\"channels\":[\"a:*\"]}", ack.toString());
      publish(publisher, "a:x", "1", null);
      publish(publisher, "b:x", "2", null);
      assertEquals("b:x", subscriber.expect("event").get("channel").asText());
    }
  }

  @Test
  void subscribersGetTheDataAsThePublisherWroteIt() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient subscriber = hub.subscriber("k:*");
        RawClient publisher = hub.subscriber()) {
      String data = "{\"price\":1.10,\"t\":0.1000000000000000055511151231257827,\"s\":\"\\u00e9\"}";
      publish(publisher, "k:x", data, null);
      subscriber.expect("event");
      assertTrue(
          subscriber.texts().stream().anyMatch(text -> text.contains("\"data\":" + data + ",")),
          "not rewritten from a tree (which would say 1.1 and 0.1): " + subscriber.texts());
    }
  }

  @Test
  void aPublisherReceivesItsOwnEventsWhenSubscribed() throws Exception {
    try (TestHub hub = TestHub.start();
        RawClient client = hub.subscriber("echo:*")) {
      client.send("{\"type\":\"publish\",\"channel\":\"echo:1\",\"data\":{\"k\":\"v\"}}");
      JsonNode first = client.next();
      JsonNode second = client.next();
      // the ack and the event may come in either order: both are queued by the same frame
      JsonNode event = first.get("type").asText().equals("event") ? first : second;
      assertEquals("v", event.get("data").get("k").asText());
    }
  }
}
